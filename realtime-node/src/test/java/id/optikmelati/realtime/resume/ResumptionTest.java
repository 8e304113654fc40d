package id.optikmelati.realtime.resume;

import static id.optikmelati.realtime.TestEvents.stock;
import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ProductType;
import id.optikmelati.realtime.TestEvents;
import id.optikmelati.realtime.broker.EventBroker;
import id.optikmelati.realtime.broker.InMemoryEventBroker;
import id.optikmelati.realtime.screen.ControlMessages;
import id.optikmelati.realtime.screen.Deliverable;
import id.optikmelati.realtime.screen.Endpoint;
import id.optikmelati.realtime.wire.SseMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A stream's opening from the window, from history, or a reset with the snapshot; no server. */
class ResumptionTest {

    private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
    /** 10:00 in Jakarta on the day of {@link TestEvents#omset}. */
    private static final Clock CLOCK = Clock.fixed(TestEvents.AT, JAKARTA);

    private final InMemoryEventBroker broker = new InMemoryEventBroker();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Resumption resumption;

    @BeforeEach
    void store() {
        resumption = new Resumption(broker, new ControlMessages(Duration.ofSeconds(2), Duration.ZERO), 10, JAKARTA,
                CLOCK, Duration.ZERO, meters);
        for (long b = 1; b <= 2; b++) {
            for (long s = 1; s <= 20; s++) {
                broker.record(stock(b, s));
            }
            var low = Payloads.StockUpdate.of(ProductType.LENS, 7, "Lensa Uji", "LN-UJI", b, "Cabang " + b, 6, 3);
            var fine = Payloads.StockUpdate.of(ProductType.FRAME, 8, "Frame Uji", "FR-UJI", b, "Cabang " + b, 40, 39);
            broker.putSnapshot(new EventBroker.BranchSnapshot(b, 20L, TestEvents.omset(b, 150_000), List.of(low, fine)));
        }
    }

    private Resumption.Opening open(String lastEventId, Set<Long> branches, Map<Long, List<Deliverable>> windows,
            Endpoint endpoint) {
        return resumption.open(Resume.claim(lastEventId), branches, windows, endpoint).join();
    }

    private double replays(String source) {
        return meters.counter("optik.realtime.replays", "source", source).count();
    }

    private static String data(SseMessage m) {
        return new String(m.data(), StandardCharsets.UTF_8);
    }

    @Test
    void aNewDashboardStartsAtTheSnapshotWithTodaysOmset() {
        var o = open(null, Set.of(1L), Map.of(), Endpoint.DASHBOARD);
        assertThat(o.positions()).isEqualTo(Map.of(1L, 20L));
        assertThat(o.replay()).isEmpty();
        assertThat(o.control()).singleElement().satisfies(m -> {
            assertThat(m.event()).isEqualTo("omset");
            assertThat(m.id()).isEqualTo("1:20");
            assertThat(data(m)).contains("\"total\":150000");
        });
    }

    @Test
    void aNewStockListGetsNoOmsetFigure() {
        assertThat(open(null, Set.of(1L), Map.of(), Endpoint.STOCK_UPDATES).control()).isEmpty();
    }

    @Test
    void yesterdaysFigureIsNotToday() {
        broker.putSnapshot(new EventBroker.BranchSnapshot(1, 20L, new Payloads.Omset(
                java.time.LocalDate.of(2026, 11, 30), 1, 999, 0, 999, 3), List.of()));
        var o = open(null, Set.of(1L), Map.of(), Endpoint.OMSET_KASIR);
        assertThat(data(o.control().get(0))).contains("\"date\":\"2026-12-01\"", "\"total\":0");
    }

    @Test
    void beforeAnySnapshotAScreenHasNoPositionAndItsFigureNoId() {
        var o = open(null, Set.of(3L), Map.of(), Endpoint.OMSET_KASIR);
        assertThat(o.positions()).isEmpty();
        assertThat(o.control()).singleElement().satisfies(m -> assertThat(m.id()).isEmpty());
    }

    @Test
    void aReconnectTheWindowServesReplaysFromMemory() {
        List<Deliverable> window = List.of(new Deliverable(stock(1, 19)), new Deliverable(stock(1, 20)));
        var o = open("1:18", Set.of(1L), Map.of(1L, window), Endpoint.STOCK_UPDATES);
        assertThat(o.positions()).isEqualTo(Map.of(1L, 18L));
        assertThat(o.replay()).isEqualTo(window);
        assertThat(o.control()).isEmpty();
        assertThat(replays("memory")).isEqualTo(1);
    }

    @Test
    void aReconnectBeyondTheWindowReplaysFromHistory() {
        var o = open("1:15", Set.of(1L), Map.of(), Endpoint.STOCK_UPDATES);
        assertThat(o.replay()).extracting(d -> d.event().seq()).containsExactly(16L, 17L, 18L, 19L, 20L);
        assertThat(replays("redis")).isEqualTo(1);
    }

    @Test
    void aCursorOlderThanTrimmedHistoryGetsAResetWithTheSnapshotsLowStock() {
        broker.trimBefore(1, 12);
        var o = open("1:5", Set.of(1L), Map.of(), Endpoint.DASHBOARD);
        assertThat(o.positions()).isEqualTo(Map.of(1L, 20L));
        assertThat(o.replay()).isEmpty();
        assertThat(o.control()).singleElement().satisfies(m -> {
            assertThat(m.event()).isEqualTo("reset");
            assertThat(m.id()).isEqualTo("1:20");
            assertThat(m.retry()).isEqualTo(Duration.ofSeconds(2));
            var reset = EventCodec.mapper().readTree(data(m));
            assertThat(reset.get("reason").asString()).isEqualTo("history-trimmed");
            assertThat(reset.get("branches").get(0).get("lowStock")).hasSize(1);
            assertThat(reset.get("branches").get(0).get("lowStock").get(0).get("product_id").asLong()).isEqualTo(7);
        });
        assertThat(replays("reset")).isEqualTo(1);
    }

    @Test
    void historyLostWithRedisIsWaitedForWhileTheApiWritesItBackAndThenReplayedWithNoReset() throws Exception {
        Resumption patient = new Resumption(broker, new ControlMessages(Duration.ofSeconds(2), Duration.ZERO), 10,
                JAKARTA, CLOCK, Duration.ofSeconds(5), meters);
        var snapshot = broker.snapshot(1).join();
        broker.forget(1); // Redis came back empty: no history, no snapshot
        var rewrite = java.util.concurrent.CompletableFuture.runAsync(() -> {
            for (long s = 1; s <= 20; s++) { // the API writes the stream back, then seeds the snapshot
                broker.record(stock(1, s));
            }
            broker.putSnapshot(snapshot);
        }, java.util.concurrent.CompletableFuture.delayedExecutor(400, java.util.concurrent.TimeUnit.MILLISECONDS));
        var o = patient.open(Resume.claim("1:12"), Set.of(1L), Map.of(), Endpoint.DASHBOARD).join();
        rewrite.join();
        assertThat(o.control()).noneMatch(m -> m.event().equals("reset"));
        assertThat(o.replay()).extracting(d -> d.event().seq()).containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
        assertThat(meters.counter("optik.realtime.history.rewrite.waits").count()).isPositive();
    }

    @Test
    void historyTrimmedWhileTheSnapshotStandsIsAResetAtOnce() {
        Resumption patient = new Resumption(broker, new ControlMessages(Duration.ofSeconds(2), Duration.ZERO), 10,
                JAKARTA, CLOCK, Duration.ofSeconds(30), meters);
        broker.trimBefore(1, 12); // older than the stream keeps: nothing to wait for
        var o = patient.open(Resume.claim("1:5"), Set.of(1L), Map.of(), Endpoint.DASHBOARD).join();
        assertThat(data(o.control().get(0))).contains("\"reason\":\"history-trimmed\"");
        assertThat(meters.counter("optik.realtime.history.rewrite.waits").count()).isZero();
    }

    @Test
    void aScreenMoreThanAReplayBehindIsReset() {
        var o = open("1:2", Set.of(1L), Map.of(), Endpoint.STOCK_UPDATES);
        assertThat(data(o.control().get(0))).contains("\"reason\":\"too-far-behind\"");
    }

    @Test
    void aCursorPastEverythingTheBranchPublishedIsResetAndCountedNotLeftSilent() {
        for (String id : List.of("1:999999999999999999", "1:70")) {
            var o = open(id, Set.of(1L), Map.of(), Endpoint.DASHBOARD);
            assertThat(o.control()).singleElement().satisfies(m -> {
                assertThat(m.event()).isEqualTo("reset");
                assertThat(m.id()).isEqualTo("1:20");
                assertThat(data(m)).contains("\"reason\":\"ahead-of-history\"");
            });
            assertThat(o.positions()).isEqualTo(Map.of(1L, 20L));
        }
        assertThat(meters.counter("optik.realtime.last.event.id.ahead").count()).isEqualTo(2);
        var atHead = open("1:20", Set.of(1L), Map.of(), Endpoint.DASHBOARD); // nothing missed: no reset
        assertThat(atHead.control()).noneMatch(m -> m.event().equals("reset"));
        assertThat(atHead.positions()).isEqualTo(Map.of(1L, 20L));
    }

    @Test
    void aMalformedIdIsResetAndCounted() {
        var o = open("garbage", Set.of(1L, 2L), Map.of(), Endpoint.DASHBOARD);
        assertThat(o.control()).hasSize(1);
        assertThat(data(o.control().get(0))).contains("\"reason\":\"malformed-id\"", "\"branchId\":1", "\"branchId\":2");
        assertThat(o.positions()).isEqualTo(Map.of(1L, 20L, 2L, 20L));
        assertThat(meters.counter("optik.realtime.last.event.id.malformed").count()).isEqualTo(1);
    }

    @Test
    void aSuperAdminsCursorResumesEachBranchOnItsOwn() {
        broker.trimBefore(2, 15);
        Set<Long> view = new LinkedHashSet<>(List.of(1L, 2L, 3L));
        List<Deliverable> window1 = List.of(new Deliverable(stock(1, 20)));
        var o = open("1:19,2:4", view, Map.of(1L, window1), Endpoint.DASHBOARD);
        // branch 1 from the window, branch 2 reset (trimmed), branch 3 (new since the cursor) at its snapshot
        assertThat(o.replay()).isEqualTo(window1);
        assertThat(o.positions()).isEqualTo(Map.of(1L, 19L, 2L, 20L));
        assertThat(o.control()).hasSize(2);
        assertThat(o.control().get(0).event()).isEqualTo("reset");
        assertThat(data(o.control().get(0))).contains("\"branchId\":2").doesNotContain("\"branchId\":1");
        assertThat(o.control().get(0).id()).isEqualTo("1:19,2:20");
        assertThat(o.control().get(1).event()).isEqualTo("omset"); // branch 3's zero figure
    }

    @Test
    void reconnectsOfOneBranchAndSeqAtOnceShareOneHistoryRead() {
        CompletableFuture<Void> slowRead = broker.holdHistoryReads();
        var a = resumption.open(Resume.claim("1:15"), Set.of(1L), Map.of(), Endpoint.STOCK_UPDATES);
        var b = resumption.open(Resume.claim("1:15"), Set.of(1L), Map.of(), Endpoint.STOCK_UPDATES);
        var c = resumption.open(Resume.claim("1:16"), Set.of(1L), Map.of(), Endpoint.STOCK_UPDATES);
        slowRead.complete(null);
        assertThat(a.join().replay()).extracting(d -> d.event().seq()).containsExactly(16L, 17L, 18L, 19L, 20L);
        assertThat(b.join().replay()).extracting(d -> d.event().seq()).containsExactly(16L, 17L, 18L, 19L, 20L);
        assertThat(c.join().replay()).extracting(d -> d.event().seq()).containsExactly(17L, 18L, 19L, 20L);
        assertThat(broker.historyReads()).isEqualTo(2); // one for 1:15, one for 1:16
    }
}
