package id.optikmelati.realtime.feed;

import id.optikmelati.contract.ShopEvent;
import id.optikmelati.realtime.broker.EventBroker;
import id.optikmelati.realtime.screen.Deliverable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's branch feeds: each branch's live events from the broker, published to the subscriber
 * in seq order, once each; a gap is filled from the broker's history before anything newer goes
 * on, without blocking (live events that come meanwhile are held and follow). Every method runs on
 * the serial executor given, one task at a time, so registering a screen (which takes a window
 * slice there) and the events published after it never overlap or miss.
 */
public final class Feeds implements EventBroker.Listener {

    private static final Logger log = LoggerFactory.getLogger(Feeds.class);

    /** Gets each branch's events in seq order, on the serial executor. */
    public interface Subscriber {
        void published(long branchId, Deliverable event);
    }

    private final EventBroker broker;
    private final Executor serial;
    private final Subscriber subscriber;
    private final int windowSize;
    private final int maxReplay;
    private final Map<Long, BranchFeed> feeds = new HashMap<>(); // serial only
    private final Counter gapFills;
    private final AtomicInteger windowEvents = new AtomicInteger();
    private volatile Map<Long, String> branches = Map.of();

    /**
     * @param windowSize events kept in memory per branch
     * @param maxReplay most events one gap fill reads
     */
    public Feeds(EventBroker broker, Executor serial, Subscriber subscriber, int windowSize, int maxReplay,
            MeterRegistry meters) {
        this.broker = broker;
        this.serial = serial;
        this.subscriber = subscriber;
        this.windowSize = windowSize;
        this.maxReplay = maxReplay;
        this.gapFills = Counter.builder("optik.realtime.gap.fills")
                .description("Times the node filled missed live events from the stream").register(meters);
        meters.gauge("optik.realtime.window.events", windowEvents);
    }

    @Override
    public void onEvent(ShopEvent event) {
        serial.execute(() -> arrive(event));
    }

    @Override
    public void onSubscribed(long branchId) {
        serial.execute(() -> {
            BranchFeed feed = feeds.get(branchId);
            if (feed == null || feed.lastSeq() < 0) {
                return;
            }
            if (feed.filling()) {
                feed.fillAgainAfterThis(); // the fill under way may have read history before the gap ended
            } else {
                fill(branchId, feed, List.of()); // whatever was published while we were away
            }
        });
    }

    private void arrive(ShopEvent event) {
        BranchFeed feed = feed(event.branchId());
        switch (feed.arrive(event)) {
            case NEXT -> publish(event.branchId(), feed, event);
            case GAP -> fill(event.branchId(), feed, List.of(event));
            case DUPLICATE, HELD -> { }
        }
    }

    /** Reads what this node missed of a branch from history; held live events follow, in order. */
    private void fill(long branchId, BranchFeed feed, List<ShopEvent> arrived) {
        feed.startFill(arrived);
        broker.history(branchId, feed.lastSeq(), maxReplay).orTimeout(5, TimeUnit.SECONDS)
                .whenComplete((missed, error) -> serial.execute(() -> {
                    List<ShopEvent> later = feed.endFill();
                    if (error != null) {
                        // Connections see the gap themselves and reconnect through replay or a reset.
                        log.warn("could not fill missed events of branch {}: {}", branchId, error.toString());
                    }
                    int filled = error != null ? 0 : publishNew(branchId, feed, missed);
                    publishNew(branchId, feed, later);
                    if (filled > 0) {
                        gapFills.increment();
                        log.info("filled {} missed events of branch {} from the stream", filled, branchId);
                    }
                    if (feed.takeFillAgain()) {
                        fill(branchId, feed, List.of());
                    }
                }));
    }

    /** Publishes, in order, the events past where the feed stands; returns how many. */
    private int publishNew(long branchId, BranchFeed feed, List<ShopEvent> events) {
        int published = 0;
        for (ShopEvent e : events) {
            if (feed.isNew(e)) {
                publish(branchId, feed, e);
                published++;
            }
        }
        return published;
    }

    private void publish(long branchId, BranchFeed feed, ShopEvent event) {
        Deliverable d = new Deliverable(event);
        if (feed.published(d)) {
            windowEvents.incrementAndGet();
        }
        subscriber.published(branchId, d);
    }

    /** The branch's feed, subscribing to it on first use. Serial only. */
    private BranchFeed feed(long branchId) {
        return feeds.computeIfAbsent(branchId, b -> {
            broker.watch(b);
            return new BranchFeed(windowSize);
        });
    }

    /**
     * Serial only: makes sure the branch is fed, and gives the window's events after {@code seq}
     * (null if the window cannot serve it, or no {@code seq} is given).
     */
    public List<Deliverable> join(long branchId, Long seq) {
        BranchFeed feed = feed(branchId);
        return seq == null ? null : feed.windowAfter(seq);
    }

    /**
     * Learns the chain's branches (at start and on every heartbeat round): subscribes to each so
     * windows are warm before the first reconnect, and keeps the list for new connections.
     */
    public void watchAll(Map<Long, String> branches) {
        this.branches = Map.copyOf(branches);
        serial.execute(() -> branches.keySet().forEach(b -> {
            feed(b);
            broker.watch(b); // repeats a subscription Redis refused during an outage
        }));
    }

    /** The chain's branches, as last learned; asks the broker only before the first answer. */
    public CompletableFuture<Map<Long, String>> branches() {
        Map<Long, String> known = branches;
        return known.isEmpty() ? broker.branches().thenApply(b -> {
            watchAll(b);
            return b;
        }) : CompletableFuture.completedFuture(known);
    }
}
