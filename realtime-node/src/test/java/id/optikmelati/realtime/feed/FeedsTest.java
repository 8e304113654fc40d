package id.optikmelati.realtime.feed;

import static id.optikmelati.realtime.TestEvents.stock;
import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.realtime.broker.InMemoryEventBroker;
import id.optikmelati.realtime.screen.Deliverable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A branch's feed publishes every seq once, in order, whatever the broker does: live messages
 * lost, a read of history that is slow while live events keep coming, a subscription that drops
 * during a fill. No server: the in-memory broker stands in for Redis.
 */
class FeedsTest {

    private final InMemoryEventBroker broker = new InMemoryEventBroker();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Long> published = new ArrayList<>();
    private Feeds feeds;

    @BeforeEach
    void start() {
        feeds = new Feeds(broker, new SerialExecutor(), (branch, d) -> published.add(d.event().seq()), 100, 1000, meters);
        broker.start(feeds);
        feeds.join(1, null); // a screen of branch 1 connects: the node subscribes to it
    }

    private double gapFills() {
        return meters.counter("optik.realtime.gap.fills").count();
    }

    @Test
    void liveEventsArePublishedInOrderAndADuplicateIsDropped() {
        broker.publish(stock(1, 1));
        broker.publish(stock(1, 2));
        feeds.onEvent(stock(1, 2)); // delivered twice, as after a resubscription
        broker.publish(stock(1, 3));

        assertThat(published).containsExactly(1L, 2L, 3L);
        assertThat(gapFills()).isZero();
    }

    @Test
    void theFirstEventANodeSeesStartsItsFeedWithoutAFill() {
        broker.publish(stock(1, 40));
        assertThat(published).containsExactly(40L);
    }

    @Test
    void eventsLostOnTheLiveChannelAreFilledFromHistoryBeforeTheNextOne() {
        broker.publish(stock(1, 1));
        broker.record(stock(1, 2));
        broker.record(stock(1, 3));
        broker.record(stock(1, 4));
        broker.publish(stock(1, 5));

        assertThat(published).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(gapFills()).isEqualTo(1);
    }

    @Test
    void liveEventsThatArriveWhileHistoryIsReadFollowTheMissedOnes() {
        broker.publish(stock(1, 1));
        broker.record(stock(1, 2));
        broker.record(stock(1, 3));
        CompletableFuture<Void> slowRead = broker.holdHistoryReads();
        broker.publish(stock(1, 4)); // shows the gap; the read finds 2 to 4
        broker.publish(stock(1, 5)); // after the read: held
        broker.publish(stock(1, 6));
        assertThat(published).containsExactly(1L);

        slowRead.complete(null);
        assertThat(published).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aResubscriptionDuringAFillReadsHistoryAgainAfterIt() {
        broker.publish(stock(1, 1));
        broker.record(stock(1, 2));
        CompletableFuture<Void> slowRead = broker.holdHistoryReads();
        broker.publish(stock(1, 3)); // the fill reads 2 and 3
        broker.record(stock(1, 4)); // lost while the subscription was away
        broker.resubscribe();

        slowRead.complete(null);
        assertThat(published).containsExactly(1L, 2L, 3L, 4L);
        assertThat(gapFills()).isEqualTo(2);
    }

    @Test
    void aResubscriptionWithNothingMissedPublishesNothingAgain() {
        broker.publish(stock(1, 1));
        broker.publish(stock(1, 2));
        broker.resubscribe();
        broker.publish(stock(1, 3));

        assertThat(published).containsExactly(1L, 2L, 3L);
        assertThat(gapFills()).isZero();
    }

    @Test
    void aFillThatFailsLetsTheHeldEventsThroughAndLeavesTheGapToTheScreens() {
        broker.publish(stock(1, 1));
        broker.record(stock(1, 2));
        CompletableFuture<Void> failingRead = broker.holdHistoryReads();
        broker.publish(stock(1, 3));
        broker.publish(stock(1, 4));

        failingRead.completeExceptionally(new IllegalStateException("Redis went away"));
        // The screens see 1 then 3: they end their streams and reconnect through replay.
        assertThat(published).containsExactly(1L, 3L, 4L);
    }

    @Test
    void aScreenJoiningGetsTheWindowAfterItsSeq() {
        for (long s = 1; s <= 5; s++) {
            broker.publish(stock(1, s));
        }
        List<Deliverable> window = feeds.join(1, 3L);
        assertThat(window).extracting(d -> d.event().seq()).containsExactly(4L, 5L);
        assertThat(feeds.join(1, 5L)).isEmpty();
        assertThat(feeds.join(1, 9L)).isNull(); // ahead of the feed: the window cannot tell
    }

    @Test
    void branchesAreLearnedOnceAndEachIsSubscribed() {
        broker.addBranch(2, "Cabang 2");
        assertThat(feeds.branches().join()).containsOnlyKeys(2L);
        broker.publish(stock(2, 1));
        assertThat(published).containsExactly(1L);
    }
}
