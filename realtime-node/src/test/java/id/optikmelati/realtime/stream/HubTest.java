package id.optikmelati.realtime.stream;

import static id.optikmelati.realtime.TestEvents.sale;
import static id.optikmelati.realtime.TestEvents.stock;
import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.Role;
import id.optikmelati.contract.ShopPrincipal;
import id.optikmelati.realtime.TestEvents;
import id.optikmelati.realtime.broker.EventBroker;
import id.optikmelati.realtime.broker.InMemoryEventBroker;
import id.optikmelati.realtime.resume.Resumption;
import id.optikmelati.realtime.screen.ControlMessages;
import id.optikmelati.realtime.screen.Endpoint;
import id.optikmelati.realtime.wire.SocketWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyPipeline;

/**
 * The delivery path from the broker to a screen's socket, with no server: the in-memory broker
 * stands in for Redis and an embedded Netty channel for the screen's socket, so what the screen
 * receives is read byte for byte, in order.
 */
class HubTest {

    private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");

    private final InMemoryEventBroker broker = new InMemoryEventBroker();
    private final ControlMessages messages = new ControlMessages(Duration.ofSeconds(2), Duration.ofSeconds(3));
    private Hub hub;

    @BeforeEach
    void start() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Resumption resumption = new Resumption(broker, messages, 1000, JAKARTA, Clock.fixed(TestEvents.AT, JAKARTA),
                Duration.ZERO, meters);
        hub = new Hub(broker, 100, 1000, resumption, messages, meters);
        broker.start(hub.feeds());
        for (long b = 1; b <= 2; b++) {
            broker.addBranch(b, TestEvents.branchName(b));
            for (long s = 1; s <= 20; s++) {
                broker.record(stock(b, s));
            }
            broker.putSnapshot(new EventBroker.BranchSnapshot(b, 20L, TestEvents.omset(b, 90_000), List.of()));
        }
        hub.watchAll(Map.of(1L, TestEvents.branchName(1), 2L, TestEvents.branchName(2))); // as the node does at start
    }

    /** A screen's socket, and what it received. */
    private static final class Screen {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final AtomicBoolean finished = new AtomicBoolean();
        final Connection connection;

        Screen(Role role, Endpoint endpoint, Set<Long> view) {
            channel.pipeline().addLast(NettyPipeline.HttpCodec, new ChannelDuplexHandler()); // chunks go below it
            ShopPrincipal viewer = new ShopPrincipal(5, "layar", role, role == Role.SUPER_ADMIN ? null : 1L,
                    Instant.now().plusSeconds(3600), Instant.now(), null);
            connection = new Connection("lease-1", viewer, endpoint, view, new SocketWriter(channel, 512),
                    new Connection.Events() {
                        @Override
                        public void delivered(long committedAtMillis) {
                        }

                        @Override
                        public void finished() {
                            finished.set(true);
                        }
                    });
        }

        /** Each SSE message received so far, as "<event> <id>" ("-" for none). */
        List<String> received() {
            channel.runPendingTasks();
            List<String> out = new ArrayList<>();
            for (Object o; (o = channel.readOutbound()) != null; ) {
                ByteBuf chunk = (ByteBuf) o;
                String text = chunk.toString(StandardCharsets.UTF_8);
                chunk.release();
                Matcher size = Pattern.compile("^([0-9a-f]+)\r\n").matcher(text);
                assertThat(size.find()).as("an HTTP chunk: " + text).isTrue();
                String message = text.substring(size.end(), text.length() - 2);
                assertThat(message.getBytes(StandardCharsets.UTF_8)).hasSize(Integer.parseInt(size.group(1), 16));
                out.add(field(message, "event") + " " + field(message, "id"));
            }
            return out;
        }

        private static String field(String message, String name) {
            Matcher m = Pattern.compile("(?m)^" + name + ":(.*)$").matcher(message);
            return m.find() ? m.group(1) : "-";
        }
    }

    @Test
    void aNewDashboardGetsTodaysFigureThenEveryLiveEventOnce() {
        Screen s = new Screen(Role.KASIR, Endpoint.DASHBOARD, Set.of(1L));
        hub.open(s.connection, null).join();
        broker.publish(sale(1, 21, 50_000));
        broker.publish(stock(1, 22));
        broker.publish(stock(2, 21)); // another branch's: not this screen's
        assertThat(s.received()).containsExactly("omset 1:20", "sale 1:21", "stock 1:22");
    }

    @Test
    void liveEventsThatArriveWhileTheReplayIsReadFollowIt() {
        Screen s = new Screen(Role.KASIR, Endpoint.STOCK_UPDATES, Set.of(1L));
        CompletableFuture<Void> slowRead = broker.holdHistoryReads();
        CompletableFuture<Void> opened = hub.open(s.connection, "1:17");
        broker.publish(stock(1, 21));
        broker.publish(stock(1, 22));
        assertThat(s.received()).as("nothing before the replay").isEmpty();

        slowRead.complete(null);
        opened.join();
        assertThat(s.received()).containsExactly("stock 1:18", "stock 1:19", "stock 1:20", "stock 1:21", "stock 1:22");
    }

    @Test
    void aReconnectTheWindowReachesIsServedWithoutReadingHistory() {
        broker.publish(stock(1, 21)); // the node has seen these: they are in its window
        broker.publish(stock(1, 22));
        Screen s = new Screen(Role.KASIR, Endpoint.STOCK_UPDATES, Set.of(1L));
        int reads = broker.historyReads();
        hub.open(s.connection, "1:21").join();
        assertThat(s.received()).containsExactly("stock 1:22");
        assertThat(broker.historyReads()).isEqualTo(reads);
    }

    @Test
    void aSuperAdminsStreamCarriesACursorOfEveryBranch() {
        Screen s = new Screen(Role.SUPER_ADMIN, Endpoint.STOCK_UPDATES, Set.of(1L, 2L));
        hub.open(s.connection, "1:19,2:20").join();
        broker.publish(stock(2, 21));
        broker.publish(stock(1, 21));
        assertThat(s.received()).containsExactly("stock 1:20,2:20", "stock 1:20,2:21", "stock 1:21,2:21");
    }

    @Test
    void aGapTheNodeCouldNotFillEndsTheStreamSoTheScreenReplays() {
        Screen s = new Screen(Role.KASIR, Endpoint.STOCK_UPDATES, Set.of(1L));
        hub.open(s.connection, null).join();
        broker.publish(stock(1, 21));
        assertThat(s.received()).containsExactly("stock 1:21");
        broker.record(stock(1, 22)); // its live message lost, and the read of it fails
        broker.holdHistoryReads().completeExceptionally(new IllegalStateException("Redis went away"));
        broker.publish(stock(1, 23));
        assertThat(s.received()).isEmpty();
        assertThat(s.channel.isOpen()).isFalse();
        assertThat(s.connection.endReason()).isEqualTo(Connection.Reason.GAP);
    }

    @Test
    void aDrainTellsEveryScreenToReconnectWithAJitteredRetry() {
        Screen a = new Screen(Role.KASIR, Endpoint.OMSET_KASIR, Set.of(1L));
        hub.open(a.connection, null).join();
        a.received();
        hub.drain();
        a.channel.runPendingTasks();
        ByteBuf last = a.channel.readOutbound();
        String text = last.toString(StandardCharsets.UTF_8);
        last.release();
        assertThat(text).contains("event:reconnect", "data:{\"reason\":\"shutdown\"}").containsPattern("retry:[2-5]\\d{3}\n");
        assertThat(a.finished).isTrue();
        assertThat(a.connection.endReason()).isEqualTo(Connection.Reason.SHUTDOWN);
    }

    @Test
    void aClosedStreamGetsNothingMore() {
        Screen s = new Screen(Role.KASIR, Endpoint.STOCK_UPDATES, Set.of(1L));
        hub.open(s.connection, null).join();
        hub.close(s.connection);
        broker.publish(stock(1, 21));
        assertThat(s.received()).isEmpty();
        assertThat(hub.connections()).isEmpty();
    }
}
