package id.optikmelati.realtime.stream;

import id.optikmelati.contract.ScreenMessages;
import id.optikmelati.contract.ShopPrincipal;
import id.optikmelati.realtime.broker.EventBroker;
import id.optikmelati.realtime.feed.Feeds;
import id.optikmelati.realtime.feed.SerialExecutor;
import id.optikmelati.realtime.resume.Resume;
import id.optikmelati.realtime.resume.Resumption;
import id.optikmelati.realtime.screen.ControlMessages;
import id.optikmelati.realtime.screen.Deliverable;
import id.optikmelati.realtime.screen.Visibility;
import id.optikmelati.realtime.wire.LoopChunks;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The node's open streams, and the hand-over of each branch's live events to the streams that
 * watch it. A stream registers with its branches on the feeds' serial executor, which is also
 * where each event is published: so the window slice a stream starts from and the live events it
 * gets after it never overlap or miss ({@link Resume} and {@link Resumption} decide the rest).
 */
public final class Hub implements Feeds.Subscriber {

    private final SerialExecutor serial = new SerialExecutor();
    private final Feeds feeds;
    private final Resumption resumption;
    private final ControlMessages messages;
    private final StreamMeters streamMeters;
    private final Map<Long, Listeners> listeners = new HashMap<>(); // serial only
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

    /**
     * @param windowSize recent events kept in memory per branch
     * @param maxReplay most events one gap fill reads
     */
    public Hub(EventBroker broker, int windowSize, int maxReplay, Resumption resumption, ControlMessages messages,
            MeterRegistry meters, StreamMeters streamMeters) {
        this.feeds = new Feeds(broker, serial, this, windowSize, maxReplay, meters);
        this.resumption = resumption;
        this.messages = messages;
        this.streamMeters = streamMeters;
    }

    /** Where the broker's live events go. */
    public EventBroker.Listener feeds() {
        return feeds;
    }

    /** @see Feeds#watchAll */
    public void watchAll(Map<Long, String> branches) {
        feeds.watchAll(branches);
    }

    /** @see Feeds#branches */
    public CompletableFuture<Map<Long, String>> branches() {
        return feeds.branches();
    }

    /**
     * Registers a stream and brings it live: replay from the window or history, or a reset where
     * history is gone; a fresh stream starts at the snapshot (with the omset figure).
     *
     * @param lastEventId the screen's Last-Event-ID, null for a new screen
     */
    public CompletableFuture<Void> open(Connection connection, String lastEventId) {
        Resume.Claim claim = Resume.claim(lastEventId);
        connections.add(connection);
        CompletableFuture<Map<Long, List<Deliverable>>> registered = CompletableFuture.supplyAsync(() -> {
            Map<Long, List<Deliverable>> windows = new HashMap<>();
            for (long branch : connection.branches()) {
                listeners.computeIfAbsent(branch, b -> new Listeners()).add(connection);
                List<Deliverable> window = feeds.join(branch, Resume.seenIn(claim, branch).orElse(null));
                if (window != null) {
                    windows.put(branch, window);
                }
            }
            return windows;
        }, serial);
        return registered
                .thenCompose(windows -> resumption.open(claim, connection.branches(), windows, connection.endpoint()))
                .thenAccept(o -> connection.goLive(o.positions(), o.control(), o.replay()));
    }

    public void close(Connection connection) {
        connection.markClosed();
        if (connections.remove(connection)) {
            serial.execute(() -> connection.branches().forEach(b -> {
                Listeners l = listeners.get(b);
                if (l != null) {
                    l.remove(connection);
                }
            }));
        }
    }

    public Set<Connection> connections() {
        return connections;
    }

    /**
     * Hands a published event to every stream of its branch: one task per event loop, not per
     * stream. Each loop offers it to its own streams in seq order (a loop runs its tasks in order),
     * from one off-heap copy per audience, and counts what it wrote once, not per stream.
     */
    @Override
    public void published(long branchId, Deliverable d) {
        Listeners l = listeners.get(branchId);
        Map<Executor, Connection[]> loops = l == null ? Map.of() : l.byLoop();
        if (loops.isEmpty()) {
            d.forgetFrames();
            return;
        }
        AtomicInteger handingOver = new AtomicInteger(loops.size());
        long committedAt = d.event().committedAt().toEpochMilli();
        loops.forEach((loop, group) -> loop.execute(() -> {
            int written = 0;
            try (LoopChunks chunks = new LoopChunks(Visibility.AUDIENCES)) {
                for (Connection c : group) {
                    if (c.offer(d, chunks)) {
                        written++;
                    }
                }
            }
            streamMeters.delivered(written, committedAt);
            if (handingOver.decrementAndGet() == 0) {
                d.forgetFrames();
            }
        }));
    }

    /**
     * Ends the streams of users whose tokens were revoked since they opened: each is told its token is
     * no longer good, and that a renewal would be refused (the page asks its user to log in again).
     */
    public void endRevoked(Predicate<ShopPrincipal> revoked) {
        for (Connection c : connections) {
            if (revoked.test(c.viewer())) {
                c.finish(Connection.Reason.REVOKED, messages.tokenRevoked());
            }
        }
    }

    /** Tells every screen to reconnect elsewhere (each with its own jittered retry), then ends its stream. */
    public void drain() {
        for (Connection c : connections) {
            c.finish(Connection.Reason.SHUTDOWN, messages.reconnect(ScreenMessages.ReconnectReason.SHUTDOWN));
        }
    }

    public void shutdown() {
        serial.close();
    }

    /** The streams of one branch, grouped by event loop for the hand-over; regrouped after a change. */
    private static final class Listeners {
        private final Set<Connection> all = new LinkedHashSet<>();
        private Map<Executor, Connection[]> byLoop;

        void add(Connection c) {
            all.add(c);
            byLoop = null;
        }

        void remove(Connection c) {
            all.remove(c);
            byLoop = null;
        }

        Map<Executor, Connection[]> byLoop() {
            if (byLoop == null) {
                Map<Executor, List<Connection>> groups = new HashMap<>();
                for (Connection c : all) {
                    groups.computeIfAbsent(c.loop(), k -> new ArrayList<>()).add(c);
                }
                Map<Executor, Connection[]> arrays = new HashMap<>();
                groups.forEach((loop, list) -> arrays.put(loop, list.toArray(Connection[]::new)));
                byLoop = arrays;
            }
            return byLoop;
        }
    }
}
