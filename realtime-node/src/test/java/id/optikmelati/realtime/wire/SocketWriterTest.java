package id.optikmelati.realtime.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyPipeline;

/**
 * A live chunk on a real epoll socket over the loopback: straight into the kernel while the socket
 * has room, and through Netty's queue, complete and in order, once a client stops reading.
 */
class SocketWriterTest {

    private EventLoopGroup loops;
    private Channel server;
    private final CompletableFuture<Channel> accepted = new CompletableFuture<>();
    /** Writes that went through the pipeline below the HTTP codec, as a queued chunk does. */
    private final AtomicInteger queuedWrites = new AtomicInteger();
    private Socket client;

    @BeforeEach
    void start() throws Exception {
        assertThat(Epoll.isAvailable()).as("epoll on this Linux machine: %s", Epoll.unavailabilityCause()).isTrue();
        loops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        server = new ServerBootstrap().group(loops).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.SO_SNDBUF, 4096)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("counted", new ChannelDuplexHandler() {
                            @Override
                            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                                queuedWrites.incrementAndGet();
                                ctx.write(msg, promise);
                            }
                        });
                        ch.pipeline().addLast(NettyPipeline.HttpCodec, new ChannelDuplexHandler());
                        accepted.complete(ch);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        client = new Socket();
        client.setReceiveBufferSize(4096);
        client.connect(server.localAddress());
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        server.close().sync();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void aLiveChunkGoesStraightToASocketWithRoom() throws Exception {
        Channel channel = accepted.get(5, TimeUnit.SECONDS);
        assertThat(channel).isInstanceOf(EpollSocketChannel.class);
        SocketWriter writer = new SocketWriter(channel, 64 * 1024);
        byte[] chunk = SseFrames.eventChunk("1:1", "stock", "{\"stok\":5}".getBytes(StandardCharsets.UTF_8));

        SocketWriter.Outcome outcome = onLoop(writer, () -> {
            try (LoopChunks chunks = new LoopChunks(1)) {
                SocketWriter.Outcome o = writer.write(chunks, 0, chunk);
                writer.flush();
                return o;
            }
        });

        assertThat(outcome).isEqualTo(SocketWriter.Outcome.WRITTEN);
        assertThat(client.getInputStream().readNBytes(chunk.length)).isEqualTo(chunk);
        assertThat(queuedWrites).hasValue(0);
        assertThat(onLoop(writer, writer::hasUnsent)).isFalse();
    }

    @Test
    void whatAClientHasNoRoomForWaitsInOrderAndArrivesWhole() throws Exception {
        Channel channel = accepted.get(5, TimeUnit.SECONDS);
        SocketWriter writer = new SocketWriter(channel, 1 << 20);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int events = 2000; // far beyond both sides' kernel buffers while the client does not read

        onLoop(writer, () -> {
            for (int seq = 1; seq <= events; seq++) {
                byte[] chunk = SseFrames.eventChunk("1:" + seq, "stock",
                        ("{\"seq\":" + seq + ",\"pad\":\"" + "x".repeat(seq % 97) + "\"}").getBytes(StandardCharsets.UTF_8));
                expected.write(chunk);
                try (LoopChunks chunks = new LoopChunks(1)) {
                    assertThat(writer.write(chunks, 0, chunk)).isEqualTo(SocketWriter.Outcome.WRITTEN);
                    writer.flush();
                }
            }
            return null;
        });

        assertThat(onLoop(writer, writer::hasUnsent)).as("the client read nothing yet").isTrue();
        assertThat(queuedWrites.get()).isPositive();
        InputStream in = client.getInputStream();
        byte[] received = in.readNBytes(expected.size());
        assertThat(new String(received, StandardCharsets.UTF_8)).isEqualTo(expected.toString(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(5)).until(() -> !onLoop(writer, writer::hasUnsent));
    }

    private static <T> T onLoop(SocketWriter writer, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        writer.loop().execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }
}
