package id.optikmelati.realtime.broker;

import static id.optikmelati.realtime.TestEvents.stock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.realtime.TestEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventBroker} does, as the delivery path relies on it: run against the
 * in-memory broker and against Redis, written to the way the API's relay writes.
 */
abstract class EventBrokerContract {

    /** The store behind a broker, written to as the relay writes it. */
    interface Store extends AutoCloseable {
        EventBroker broker();

        void addBranch(long branchId, String name);

        /** In history and live, as the relay's script does. */
        void publish(ShopEvent event);

        /** In history only: its live message was lost. */
        void record(ShopEvent event);

        void putSnapshot(EventBroker.BranchSnapshot snapshot);

        /** History loses every event before {@code firstKeptSeq}. */
        void trimBefore(long branchId, long firstKeptSeq);

        @Override
        void close();
    }

    abstract Store store();

    private Store store;
    private EventBroker broker;
    private final List<ShopEvent> live = new CopyOnWriteArrayList<>();
    private final Set<Long> subscribed = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void open() {
        store = store();
        broker = store.broker();
        broker.start(new EventBroker.Listener() {
            @Override
            public void onEvent(ShopEvent event) {
                live.add(event);
            }

            @Override
            public void onSubscribed(long branchId) {
                subscribed.add(branchId);
            }
        });
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void watchAndWait(long branch) {
        broker.watch(branch);
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribed.contains(branch));
    }

    private List<Long> liveSeqs(long branch) {
        return live.stream().filter(e -> e.branchId() == branch).map(ShopEvent::seq).toList();
    }

    private List<Long> history(long branch, long after, int limit) {
        return broker.history(branch, after, limit).join().stream().map(ShopEvent::seq).toList();
    }

    @Test
    void liveEventsOfAWatchedBranchArriveInSeqOrderWithTheirPayload() {
        watchAndWait(1);
        for (long s = 1; s <= 5; s++) {
            store.publish(stock(1, s));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> live.size() == 5);
        assertThat(liveSeqs(1)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(live.get(0)).isEqualTo(stock(1, 1));
    }

    @Test
    void watchingABranchTwiceDeliversItsEventsOnce() {
        watchAndWait(1);
        broker.watch(1);
        store.publish(stock(1, 1));
        store.publish(stock(1, 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> live.size() >= 2);
        assertThat(liveSeqs(1)).containsExactly(1L, 2L);
    }

    @Test
    void anUnwatchedBranchSendsNothingLive() {
        watchAndWait(1);
        store.publish(stock(2, 1));
        store.publish(stock(1, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> !live.isEmpty());
        assertThat(live).extracting(ShopEvent::branchId).containsOnly(1L);
    }

    @Test
    void anEventWhoseLiveMessageWasLostIsStillInHistory() {
        watchAndWait(1);
        store.record(stock(1, 1));
        store.publish(stock(1, 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> !live.isEmpty());
        assertThat(liveSeqs(1)).containsExactly(2L);
        assertThat(history(1, 0, 10)).containsExactly(1L, 2L);
    }

    @Test
    void historyIsOldestFirstAfterTheSeqAndAtMostTheLimit() {
        for (long s = 1; s <= 10; s++) {
            store.record(stock(1, s));
        }
        assertThat(history(1, 3, 4)).containsExactly(4L, 5L, 6L, 7L);
        assertThat(history(1, 10, 4)).isEmpty();
        assertThat(broker.history(1, 0, 1).join().get(0)).isEqualTo(stock(1, 1));
    }

    @Test
    void trimmedHistoryStartsAtItsOldestKeptEvent() {
        for (long s = 1; s <= 10; s++) {
            store.record(stock(1, s));
        }
        store.trimBefore(1, 6);
        assertThat(history(1, 0, 100)).containsExactly(6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void aBranchWithNoHistoryHasNone() {
        assertThat(history(7, 0, 100)).isEmpty();
    }

    @Test
    void aSnapshotIsEmptyUntilWrittenThenTheLatestState() {
        EventBroker.BranchSnapshot none = broker.snapshot(1).join();
        assertThat(none.seq()).isNull();
        assertThat(none.omset()).isNull();
        assertThat(none.stock()).isEmpty();

        var low = Payloads.StockUpdate.of(ProductType.LENS, 7, "Lensa Uji", "LN-UJI", 1, "Cabang 1", 6, 3);
        var snapshot = new EventBroker.BranchSnapshot(1, 42L, TestEvents.omset(1, 125_000), List.of(low));
        store.putSnapshot(snapshot);
        assertThat(broker.snapshot(1).join()).isEqualTo(snapshot);
    }

    @Test
    void aHeadIsTheSnapshotsSeqAndOmsetWithoutItsStock() {
        assertThat(broker.head(1).join()).isEqualTo(new EventBroker.BranchHead(1, null, null));
        var low = Payloads.StockUpdate.of(ProductType.LENS, 7, "Lensa Uji", "LN-UJI", 1, "Cabang 1", 6, 3);
        store.putSnapshot(new EventBroker.BranchSnapshot(1, 42L, TestEvents.omset(1, 125_000), List.of(low)));
        assertThat(broker.head(1).join()).isEqualTo(new EventBroker.BranchHead(1, 42L, TestEvents.omset(1, 125_000)));
    }

    @Test
    void theBranchesAreTheChainsIdToName() {
        store.addBranch(1, "Cabang Utama");
        store.addBranch(12, "Cabang Kemang");
        assertThat(broker.branches().join()).isEqualTo(Map.of(1L, "Cabang Utama", 12L, "Cabang Kemang"));
    }
}
