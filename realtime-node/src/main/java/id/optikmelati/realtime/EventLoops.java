package id.optikmelati.realtime;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The node's Netty event loops on the transport it is configured with ({@code optik.realtime.transport}),
 * rather than the one Reactor Netty would pick: it prefers io_uring whenever the library is present, and
 * io_uring stays opt-in until it measures better here (BENCHMARKS.md). Reactor Netty picks each channel's
 * class from the group's transport, so the server's sockets follow.
 */
public final class EventLoops implements LoopResources {

    /** The kernel interface the event loops wait and write through. */
    public enum Transport {
        /** Linux epoll, the default; where the OS has none (a developer's Mac), Java NIO, with a warning. */
        EPOLL,
        /** Linux io_uring (kernel 5.14 or newer); the node does not start where it is unavailable. */
        IO_URING,
        /** Java NIO on any OS: the JDK's selector. */
        NIO
    }

    private static final Logger log = LoggerFactory.getLogger(EventLoops.class);

    private final EventLoopGroup loops;
    private final Transport transport;

    EventLoops(Transport wanted, int threads) {
        this.transport = available(wanted);
        this.loops = new MultiThreadIoEventLoopGroup(threads,
                new DefaultThreadFactory("reactor-http-" + transport.name().toLowerCase().replace('_', '-'), true),
                handlers(transport));
    }

    /** The transport actually used. */
    Transport transport() {
        return transport;
    }

    private static Transport available(Transport wanted) {
        return switch (wanted) {
            case IO_URING -> {
                if (!IoUring.isAvailable()) {
                    throw new IllegalStateException("optik.realtime.transport=io-uring, but io_uring is not"
                            + " available here: " + IoUring.unavailabilityCause());
                }
                yield Transport.IO_URING;
            }
            case EPOLL -> {
                if (Epoll.isAvailable()) {
                    yield Transport.EPOLL;
                }
                log.warn("epoll is not available ({}); the node runs on Java NIO", Epoll.unavailabilityCause().toString());
                yield Transport.NIO;
            }
            case NIO -> Transport.NIO;
        };
    }

    private static IoHandlerFactory handlers(Transport transport) {
        return switch (transport) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return loops;
    }

    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return loops;
    }

    @Override
    public boolean isDisposed() {
        return loops.isShutdown();
    }

    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return Mono.create(done -> loops.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(),
                TimeUnit.MILLISECONDS).addListener(stopped -> done.success()));
    }
}
