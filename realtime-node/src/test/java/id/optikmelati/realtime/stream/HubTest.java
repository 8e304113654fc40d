package id.optikmelati.realtime.stream;

import static id.optikmelati.realtime.TestEvents.sale;
import static id.optikmelati.realtime.TestEvents.stock;
import static id.optikmelati.realtime.TestEvents.stockOf;
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
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
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
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Hub hub;

    @BeforeEach
    void start() {
        Resumption resumption = new Resumption(broker, messages, 1000, JAKARTA, Clock.fixed(TestEvents.AT, JAKARTA),
                Duration.ZERO, meters);
        hub = new Hub(broker, 100, 1000, resumption, messages, meters, new StreamMeters(meters, 100));
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

    /**
     * A client that stops reading: what is written waits in the channel's queue (and counts
     * against its writability, as bytes the kernel did not take would) until it reads again.
     */
    private static final class Reader extends ChannelOutboundHandlerAdapter {
        private PendingWriteQueue held;
        private ChannelHandlerContext ctx;
        private boolean reading = true;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            this.held = new PendingWriteQueue(ctx);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (reading) {
                ctx.write(msg, promise);
            } else {
                held.add(msg, promise);
            }
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (reading) {
                ctx.flush();
            }
        }

        void stop() {
            reading = false;
        }

        void resume() {
            reading = true;
            held.removeAndWriteAll();
            ctx.flush();
        }
    }

    /** A screen's socket, and what it received. */
    private static final class Screen {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final Reader reader = new Reader();
        final AtomicBoolean finished = new AtomicBoolean();
        final AtomicLong skipped = new AtomicLong();
        final Connection connection;

        Screen(Role role, Endpoint endpoint, Set<Long> view) {
            this(role, endpoint, view, 512);
        }

        /** @param backlog messages it may have waiting, after conflation, once it reads too slowly */
        Screen(Role role, Endpoint endpoint, Set<Long> view, int backlog) {
            channel.pipeline().addLast(NettyPipeline.HttpCodec, new ChannelDuplexHandler()); // chunks go below it
            channel.pipeline().addFirst(reader);
            ShopPrincipal viewer = new ShopPrincipal(5, "layar", role, role == Role.SUPER_ADMIN ? null : 1L,
                    Instant.now().plusSeconds(3600), Instant.now(), null);
            connection = new Connection("lease-1", viewer, endpoint, view, new SocketWriter(channel, 2048),
                    backlog, Duration.ofSeconds(30), new Connection.Events() {
                        @Override
                        public void delivered(long committedAtMillis) {
                        }

                        @Override
                        public void finished() {
                            finished.set(true);
                        }

                        @Override
                        public void skipped(long messages) {
                            skipped.addAndGet(messages);
                        }
                    });
        }

        /** Each SSE message received so far, as "<event> <id>" ("-" for none). */
        List<String> received() {
            return messages().stream().map(m -> field(m, "event") + " " + field(m, "id")).toList();
        }

        /** Each SSE message received so far, as it came. */
        List<String> messages() {
            channel.runPendingTasks();
            List<String> out = new ArrayList<>();
            for (Object o; (o = channel.readOutbound()) != null; ) {
                ByteBuf chunk = (ByteBuf) o;
                String text = chunk.toString(StandardCharsets.UTF_8);
                chunk.release();
                if (text.isEmpty()) {
                    continue; // the marker a slow screen's drain is watched with
                }
                Matcher size = Pattern.compile("^([0-9a-f]+)\r\n").matcher(text);
                assertThat(size.find()).as("an HTTP chunk: " + text).isTrue();
                String message = text.substring(size.end(), text.length() - 2);
                assertThat(message.getBytes(StandardCharsets.UTF_8)).hasSize(Integer.parseInt(size.group(1), 16));
                out.add(message);
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
    void everyLiveEventWrittenToAScreenIsCountedAndItsLatencyTakenOncePerEventLoop() {
        Screen a = new Screen(Role.KASIR, Endpoint.STOCK_UPDATES, Set.of(1L)); // each screen on a loop of its own
        Screen b = new Screen(Role.KASIR, Endpoint.STOCK_UPDATES, Set.of(1L));
        Screen other = new Screen(Role.KASIR, Endpoint.NOTIFICATIONS, Set.of(1L)); // stock is not its business
        for (Screen s : List.of(a, b, other)) {
            hub.open(s.connection, null).join();
        }
        broker.publish(stock(1, 21));
        broker.publish(stock(1, 22));
        broker.publish(stock(2, 21)); // another branch's: nobody's here

        assertThat(a.received()).containsExactly("stock 1:21", "stock 1:22");
        assertThat(b.received()).containsExactly("stock 1:21", "stock 1:22");
        assertThat(other.received()).isEmpty();
        assertThat(meters.get("optik.realtime.events.delivered").counter().count()).isEqualTo(4);
        assertThat(meters.get("optik.realtime.delivery.latency").timer().count())
                .as("each event once on each loop that wrote it").isEqualTo(4);
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

    /** Each product's level as the screen last saw it, from its stock messages. */
    private static Map<Long, Integer> levels(List<String> messages) {
        Map<Long, Integer> out = new TreeMap<>();
        Matcher m = Pattern.compile("\"product_id\":(\\d+),[^}]*?\"new_stock\":(\\d+)").matcher(String.join("\n", messages));
        while (m.find()) {
            out.put(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)));
        }
        return out;
    }

    private static List<Long> seqs(List<String> received) {
        return received.stream().map(r -> Long.parseLong(r.substring(r.indexOf(':') + 1))).toList();
    }

    @Test
    void aStockScreenThatReadsTooSlowlyGetsEachProductsNewestLevelAndIsNotCutOff() {
        Screen s = new Screen(Role.KASIR, Endpoint.STOCK_UPDATES, Set.of(1L));
        hub.open(s.connection, "1:20").join();
        s.reader.stop();
        Map<Long, Integer> truth = new TreeMap<>();
        for (long seq = 21; seq <= 220; seq++) {
            long product = 101 + seq % 3;
            truth.put(product, (int) (500 - seq));
            broker.publish(stockOf(1, seq, Map.of(product, (int) (500 - seq)), 501 - (int) seq));
        }
        s.channel.runPendingTasks();
        s.reader.resume();
        List<String> messages = s.messages();

        assertThat(levels(messages)).isEqualTo(truth);
        assertThat(messages.size()).isLessThan(100);
        assertThat(s.skipped.get()).isEqualTo(200 - messages.size());
        List<Long> seqs = seqs(messages.stream().map(m -> "x " + m.substring(3, m.indexOf('\n'))).toList());
        assertThat(seqs).isSorted().doesNotHaveDuplicates().endsWith(218L, 219L, 220L);
        assertThat(s.channel.isOpen()).isTrue();

        broker.publish(stockOf(1, 221, Map.of(101L, 7), 8)); // reading again: live as before
        assertThat(s.received()).containsExactly("stock 1:221");
    }

    @Test
    void aSlowDashboardGetsEverySaleButOnlyTheNewestStock() {
        Screen s = new Screen(Role.ADMIN, Endpoint.DASHBOARD, Set.of(1L));
        hub.open(s.connection, "1:20").join();
        s.received();
        s.reader.stop();
        for (long seq = 21; seq <= 120; seq++) {
            broker.publish(seq % 2 == 0 ? sale(1, seq, seq * 1000) : stock(1, seq, 500, (int) (500 - seq)));
        }
        s.reader.resume();
        List<String> received = s.received();

        List<String> sales = received.stream().filter(r -> r.startsWith("sale ")).toList();
        assertThat(sales).hasSize(50);
        assertThat(seqs(sales)).isEqualTo(java.util.stream.LongStream.rangeClosed(11, 60).map(i -> i * 2).boxed().toList());
        assertThat(received).last().isEqualTo("sale 1:120");
        assertThat(received).contains("stock 1:119");
        assertThat(received.stream().filter(r -> r.startsWith("stock ")).count()).isLessThan(50);
        assertThat(seqs(received)).isSorted();
    }

    @Test
    void aSlowOmsetCardGetsTheNewestFigure() {
        Screen s = new Screen(Role.KASIR, Endpoint.OMSET_KASIR, Set.of(1L));
        hub.open(s.connection, "1:20").join();
        s.received();
        s.reader.stop();
        for (long seq = 21; seq <= 220; seq++) {
            broker.publish(sale(1, seq, seq * 1000));
        }
        s.reader.resume();
        List<String> messages = s.messages();
        assertThat(messages.size()).isLessThan(100);
        assertThat(messages.get(messages.size() - 1)).startsWith("id:1:220\n").contains("\"total\":220000");
    }

    @Test
    void aScreenWhoseBacklogOutgrowsItsCapacityIsCutOff() {
        Screen s = new Screen(Role.ADMIN, Endpoint.NOTIFICATIONS, Set.of(1L), 5);
        hub.open(s.connection, "1:20").join();
        s.reader.stop();
        for (long seq = 21; seq <= 200; seq++) {
            broker.publish(sale(1, seq, 1000)); // notifications: none of them may be skipped
        }
        s.channel.runPendingTasks();
        assertThat(s.channel.isOpen()).isFalse();
        assertThat(s.connection.endReason()).isEqualTo(Connection.Reason.SLOW_CONSUMER);
        assertThat(s.skipped.get()).isZero();
    }
}
