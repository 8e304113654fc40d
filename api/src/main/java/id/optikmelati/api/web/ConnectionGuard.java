package id.optikmelati.api.web;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.problem.ProblemWriter;
import id.optikmelati.contract.ConnectionsPerAddress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's connections, watched as the realtime nodes watch theirs: a client address over its cap
 * of open connections gets a 429 and is closed at once; a connection that has not sent its whole
 * request head within {@code optik.connections.header-timeout} (an idle one, or a slowloris sending a
 * byte now and then) is closed. Tomcat's own timeouts restart on every byte that arrives, so a
 * request head that trickles in would hold its socket for ever.
 */
@Configuration
class ConnectionGuard {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> guardedConnections(ShopProperties properties,
            ObjectProvider<ProblemWriter> problems, MeterRegistry meters) {
        ShopProperties.Connections config = properties.connections();
        return factory -> {
            factory.setProtocol(GuardedProtocol.class.getName());
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof GuardedProtocol protocol) {
                    Guarded endpoint = protocol.endpoint();
                    endpoint.perAddress = new ConnectionsPerAddress(config.perAddress(), config.unlimitedAddresses());
                    endpoint.headerTimeoutNanos = config.headerTimeout().toNanos();
                    endpoint.refusal = () -> problems.getObject().bytes(null, 429, "address-limit");
                    endpoint.addressLimited = counter(meters, "address-limit");
                    endpoint.timedOut = counter(meters, "header-timeout");
                    // no bytes at all: Tomcat's own timeout, now as short as the head's
                    protocol.setConnectionTimeout((int) config.headerTimeout().toMillis());
                }
            });
        };
    }

    private static Counter counter(MeterRegistry meters, String reason) {
        return Counter.builder("optik.api.sockets.closed").description("Connections the API closed before a"
                + " request reached it, by reason").tag("reason", reason).register(meters);
    }

    /** Tomcat's NIO HTTP/1.1 connector on the {@link Guarded} endpoint; Tomcat creates it by its class name. */
    public static class GuardedProtocol extends Http11NioProtocol {

        public GuardedProtocol() {
            super(new Guarded());
        }

        Guarded endpoint() {
            return (Guarded) getEndpoint();
        }
    }

    static final class Guarded extends NioEndpoint {

        volatile ConnectionsPerAddress perAddress = new ConnectionsPerAddress(0, java.util.Set.of());
        volatile long headerTimeoutNanos;
        volatile java.util.function.Supplier<byte[]> refusal = () -> new byte[0];
        volatile Counter addressLimited;
        volatile Counter timedOut;
        /** Each open connection's address, to count it down when Tomcat forgets the connection. */
        private final Map<SocketChannel, InetAddress> addresses = new ConcurrentHashMap<>();
        /** Since when a connection has been reading a request head, as the sweep first saw it. */
        private final Map<SocketWrapperBase<NioChannel>, Long> parsingSince = new ConcurrentHashMap<>();
        private ScheduledExecutorService sweeper;

        Guarded() {
            // Tomcat removes a connection from this map when it closes it, however it closes.
            connections = new ConcurrentHashMap<>() {
                @Override
                public SocketWrapperBase<NioChannel> remove(Object socket) {
                    InetAddress address = addresses.remove(socket);
                    if (address != null) {
                        perAddress.closed(address);
                    }
                    return super.remove(socket);
                }
            };
        }

        @Override
        protected boolean setSocketOptions(SocketChannel socket) {
            InetAddress address = address(socket);
            if (address != null) {
                if (!perAddress.tryOpen(address)) {
                    if (addressLimited != null) {
                        addressLimited.increment();
                    }
                    refuse(socket);
                    return false; // Tomcat closes it
                }
                addresses.put(socket, address);
            }
            boolean registered = super.setSocketOptions(socket);
            if (!registered) {
                connections.remove(socket);
            }
            return registered;
        }

        @Override
        public void startInternal() throws Exception {
            super.startInternal();
            if (headerTimeoutNanos > 0) {
                sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "optik-header-timeout");
                    t.setDaemon(true);
                    return t;
                });
                long every = Math.max(100, TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos) / 4);
                sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void stopInternal() {
            if (sweeper != null) {
                sweeper.shutdownNow();
            }
            super.stopInternal();
        }

        /** Closes every connection that has been reading one request head for longer than the timeout. */
        private void sweep() {
            long now = System.nanoTime();
            for (SocketWrapperBase<NioChannel> wrapper : getConnections()) {
                if (readingHead(wrapper)) {
                    long since = parsingSince.computeIfAbsent(wrapper, w -> now);
                    if (now - since > headerTimeoutNanos) {
                        parsingSince.remove(wrapper);
                        if (timedOut != null) {
                            timedOut.increment();
                        }
                        if (!processSocket(wrapper, SocketEvent.ERROR, true)) {
                            wrapper.close();
                        }
                    }
                } else {
                    parsingSince.remove(wrapper);
                }
            }
            parsingSince.keySet().removeIf(SocketWrapperBase::isClosed);
        }

        /**
         * A processor stays with a connection between reads only while a request is unfinished; one
         * that is not running a servlet (async or upgraded) and is parsing, or has parsed as much as
         * arrived (Tomcat marks that ended until the next bytes come), is waiting for the rest of a head.
         */
        private static boolean readingHead(SocketWrapperBase<NioChannel> wrapper) {
            if (!(wrapper.getCurrentProcessor() instanceof AbstractProcessor processor)
                    || processor.isAsync() || processor.isUpgrade()) {
                return false;
            }
            int stage = processor.getRequest().getRequestProcessor().getStage();
            return stage == org.apache.coyote.Constants.STAGE_PARSE || stage == org.apache.coyote.Constants.STAGE_ENDED;
        }

        private void refuse(SocketChannel socket) {
            try {
                byte[] body = refusal.get();
                byte[] head = ("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/problem+json\r\n"
                        + "Retry-After: 5\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                socket.write(ByteBuffer.wrap(concat(head, body)));
            } catch (IOException | RuntimeException e) {
                // a refused client that is gone already
            }
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        private static InetAddress address(SocketChannel socket) {
            try {
                return socket.getRemoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
            } catch (IOException e) {
                return null;
            }
        }
    }
}
