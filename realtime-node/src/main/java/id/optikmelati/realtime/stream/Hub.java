package id.optikmelati.realtime.stream;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.EventCursor;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.realtime.RealtimeProperties;
import id.optikmelati.realtime.broker.EventBroker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.codec.ServerSentEvent;

/**
 * The node's connection hub. One serial executor owns the per-branch feeds (one task at a time, on
 * the thread that brings it): it takes live events from the broker in seq order, fills gaps from
 * history, keeps a bounded window of recent events per branch and hands each event to the
 * connections that watch its branch. Registering a connection runs there too, so a connection's
 * window slice and its live events never overlap or miss.
 */
public final class Hub implements EventBroker.Listener {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final EventBroker broker;
    private final RealtimeProperties config;
    private final SerialExecutor serial = new SerialExecutor();
    private final Map<Long, Feed> feeds = new HashMap<>(); // serial only
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<List<ShopEvent>>> historyReads = new ConcurrentHashMap<>();
    private final Counter replayMemory;
    private final Counter replayRedis;
    private final Counter replayReset;
    private final Counter malformedIds;
    private final Counter gapFills;
    private final DistributionSummary replaySize;
    private final AtomicInteger windowEvents = new AtomicInteger();
    private volatile Map<Long, String> branches = Map.of();

    public Hub(EventBroker broker, RealtimeProperties config, MeterRegistry meters) {
        this.broker = broker;
        this.config = config;
        this.replayMemory = replays(meters, "memory");
        this.replayRedis = replays(meters, "redis");
        this.replayReset = replays(meters, "reset");
        this.malformedIds = Counter.builder("optik.realtime.last.event.id.malformed")
                .description("Reconnects whose Last-Event-ID could not be parsed (answered with a reset)")
                .register(meters);
        this.gapFills = Counter.builder("optik.realtime.gap.fills")
                .description("Times the node filled missed live events from the stream").register(meters);
        this.replaySize = DistributionSummary.builder("optik.realtime.replay.size").baseUnit("events")
                .description("Events replayed per reconnect").register(meters);
        meters.gauge("optik.realtime.window.events", windowEvents);
    }

    private static Counter replays(MeterRegistry meters, String source) {
        return Counter.builder("optik.realtime.replays").tag("source", source)
                .description("Reconnects served by source of history").register(meters);
    }

    /** A branch as this node sees it: where its live events stand and the recent ones. */
    private static final class Feed {
        long lastSeq = -1; // unknown until the first event
        /** While missed events are read from history: the live ones that came meanwhile, else null. */
        List<ShopEvent> held;
        /** A resubscription came during a fill: read history once more after it. */
        boolean fillAgain;
        final ArrayDeque<Visibility.Deliverable> window = new ArrayDeque<>();
        final Set<Connection> listeners = new LinkedHashSet<>();
        /** The listeners grouped by event loop; rebuilt after the listeners change. */
        private Map<java.util.concurrent.Executor, Connection[]> byLoop;

        void add(Connection c) {
            listeners.add(c);
            byLoop = null;
        }

        void remove(Connection c) {
            listeners.remove(c);
            byLoop = null;
        }

        Map<java.util.concurrent.Executor, Connection[]> byLoop() {
            if (byLoop == null) {
                Map<java.util.concurrent.Executor, List<Connection>> groups = new HashMap<>();
                for (Connection c : listeners) {
                    groups.computeIfAbsent(c.loop(), k -> new ArrayList<>()).add(c);
                }
                Map<java.util.concurrent.Executor, Connection[]> arrays = new HashMap<>();
                groups.forEach((loop, list) -> arrays.put(loop, list.toArray(Connection[]::new)));
                byLoop = arrays;
            }
            return byLoop;
        }

        /** The window's events after {@code seq}, or null if the window does not reach back that far. */
        List<Visibility.Deliverable> after(long seq) {
            if (lastSeq >= 0 && seq == lastSeq) {
                return List.of();
            }
            if (window.isEmpty() || window.peekFirst().event().seq() > seq + 1 || seq > lastSeq) {
                return null;
            }
            List<Visibility.Deliverable> out = new ArrayList<>();
            for (Visibility.Deliverable d : window) {
                if (d.event().seq() > seq) {
                    out.add(d);
                }
            }
            return out;
        }
    }

    // ---- live events (broker threads -> serial) ----

    @Override
    public void onEvent(ShopEvent event) {
        serial.execute(() -> dispatch(event));
    }

    @Override
    public void onSubscribed(long branchId) {
        serial.execute(() -> {
            Feed feed = feeds.get(branchId);
            if (feed == null || feed.lastSeq < 0) {
                return;
            }
            if (feed.held != null) {
                feed.fillAgain = true; // the fill under way may have read history before the gap ended
            } else {
                fill(branchId, feed, List.of()); // whatever was published while we were away
            }
        });
    }

    private void dispatch(ShopEvent event) {
        Feed feed = feed(event.branchId());
        if (feed.held != null) {
            feed.held.add(event); // after the missed ones, once they are read
            return;
        }
        if (feed.lastSeq >= 0 && event.seq() <= feed.lastSeq) {
            return; // already had it (a gap fill got there first)
        }
        if (feed.lastSeq >= 0 && event.seq() > feed.lastSeq + 1) {
            fill(event.branchId(), feed, List.of(event));
            return;
        }
        publish(feed, event);
    }

    /**
     * Reads what this node missed of a branch from its stream, without blocking: live events that
     * come meanwhile are held and follow the missed ones, in order.
     */
    private void fill(long branchId, Feed feed, List<ShopEvent> arrived) {
        feed.held = new ArrayList<>(arrived);
        broker.history(branchId, feed.lastSeq, config.maxReplay()).orTimeout(5, TimeUnit.SECONDS)
                .whenComplete((missed, error) -> serial.execute(() -> {
                    List<ShopEvent> later = feed.held;
                    feed.held = null;
                    if (error != null) {
                        // Connections see the gap themselves and reconnect through replay or a reset.
                        log.warn("could not fill missed events of branch {}: {}", branchId, error.toString());
                    }
                    int filled = error != null ? 0 : publishNewer(feed, missed);
                    publishNewer(feed, later);
                    if (filled > 0) {
                        gapFills.increment();
                        log.info("filled {} missed events of branch {} from the stream", filled, branchId);
                    }
                    if (feed.fillAgain) {
                        feed.fillAgain = false;
                        fill(branchId, feed, List.of());
                    }
                }));
    }

    /** Publishes, in order, the events past where the feed stands; returns how many. */
    private int publishNewer(Feed feed, List<ShopEvent> events) {
        int published = 0;
        for (ShopEvent e : events) {
            if (e.seq() > feed.lastSeq) {
                publish(feed, e);
                published++;
            }
        }
        return published;
    }

    private void publish(Feed feed, ShopEvent event) {
        Visibility.Deliverable d = Visibility.deliverable(event);
        feed.lastSeq = event.seq();
        feed.window.addLast(d);
        if (feed.window.size() > config.windowSize()) {
            feed.window.removeFirst();
        } else {
            windowEvents.incrementAndGet();
        }
        // One hand-over per event loop, not per connection: each loop offers the event to its own
        // connections, in seq order (a loop runs its tasks in order), from one off-heap copy.
        Map<java.util.concurrent.Executor, Connection[]> loops = feed.byLoop();
        AtomicInteger handingOver = new AtomicInteger(loops.size());
        loops.forEach((loop, group) -> loop.execute(() -> {
            try (LoopChunks chunks = new LoopChunks(d)) {
                for (Connection c : group) {
                    c.offer(d, chunks);
                }
            }
            if (handingOver.decrementAndGet() == 0) {
                d.forgetFrames();
            }
        }));
    }

    private Feed feed(long branchId) {
        return feeds.computeIfAbsent(branchId, b -> {
            broker.watch(b);
            return new Feed();
        });
    }

    /**
     * Learns the chain's branches (called at start and on every heartbeat round): subscribes to each
     * so windows are warm before the first reconnect, and keeps the list for new connections.
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

    // ---- connections ----

    /**
     * Registers a connection and brings it live: replay from the window or history, or a reset
     * where history is gone; a fresh connection starts at the snapshot (with the omset figure).
     *
     * @param lastEventId the client's Last-Event-ID, null for a fresh connection; a malformed one
     *     gets a reset
     */
    public CompletableFuture<Void> open(Connection connection, String lastEventId) {
        boolean fresh = lastEventId == null || lastEventId.isBlank();
        Optional<EventCursor> cursor = fresh ? Optional.empty() : EventCursor.parse(lastEventId.trim());
        boolean malformed = !fresh && cursor.isEmpty();
        if (malformed) {
            malformedIds.increment();
        }
        connections.add(connection);
        CompletableFuture<Map<Long, List<Visibility.Deliverable>>> registered = CompletableFuture.supplyAsync(() -> {
            Map<Long, List<Visibility.Deliverable>> slices = new HashMap<>();
            for (long branch : connection.branches()) {
                Feed feed = feed(branch);
                feed.add(connection);
                cursor.flatMap(c -> c.seqOf(branch)).map(feed::after).ifPresent(slice -> slices.put(branch, slice));
            }
            return slices;
        }, serial);
        return registered.thenCompose(slices -> {
            Map<Long, CompletableFuture<BranchStart>> starts = new LinkedHashMap<>();
            for (long branch : connection.branches()) {
                Optional<Long> seen = cursor.flatMap(c -> c.seqOf(branch));
                starts.put(branch, malformed ? reset(branch, "malformed-id")
                        : seen.isEmpty() ? fresh(branch)
                        : resume(branch, seen.get(), slices.get(branch)));
            }
            return CompletableFuture.allOf(starts.values().toArray(CompletableFuture[]::new))
                    .thenAccept(ignored -> goLive(connection, starts));
        });
    }

    public void close(Connection connection) {
        connection.markClosed();
        if (connections.remove(connection)) {
            serial.execute(() -> connection.branches().forEach(b -> {
                Feed feed = feeds.get(b);
                if (feed != null) {
                    feed.remove(connection);
                }
            }));
        }
    }

    public Set<Connection> connections() {
        return connections;
    }

    /** Where a connection starts in one branch, and what it is sent first. */
    private record BranchStart(long branch, Long position, List<Visibility.Deliverable> replay,
            EventBroker.BranchSnapshot snapshot, String resetReason) {}

    private CompletableFuture<BranchStart> fresh(long branch) {
        return broker.snapshot(branch).thenApply(s -> new BranchStart(branch, s.seq(), List.of(), s, null));
    }

    private CompletableFuture<BranchStart> reset(long branch, String reason) {
        replayReset.increment();
        return broker.snapshot(branch).thenApply(s -> new BranchStart(branch, s.seq(), List.of(), s, reason));
    }

    private CompletableFuture<BranchStart> resume(long branch, long seen, List<Visibility.Deliverable> slice) {
        if (slice != null) {
            replayMemory.increment();
            replaySize.record(slice.size());
            return CompletableFuture.completedFuture(new BranchStart(branch, seen, slice, null, null));
        }
        return history(branch, seen).thenCompose(events -> {
            if (events.size() > config.maxReplay()) {
                return reset(branch, "too-far-behind");
            }
            if (!events.isEmpty() && events.get(0).seq() != seen + 1) {
                return reset(branch, "history-trimmed");
            }
            replayRedis.increment();
            replaySize.record(events.size());
            List<Visibility.Deliverable> replay = events.stream().map(Visibility::deliverable).toList();
            return CompletableFuture.completedFuture(new BranchStart(branch, seen, replay, null, null));
        });
    }

    /** Reads history once for every reconnect of the same branch and position at the same time. */
    private CompletableFuture<List<ShopEvent>> history(long branch, long after) {
        String key = branch + ":" + after;
        CompletableFuture<List<ShopEvent>> mine = new CompletableFuture<>();
        CompletableFuture<List<ShopEvent>> shared = historyReads.putIfAbsent(key, mine);
        if (shared != null) {
            return shared;
        }
        broker.history(branch, after, config.maxReplay() + 1).whenComplete((events, error) -> {
            historyReads.remove(key, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(events);
            }
        });
        return mine;
    }

    private void goLive(Connection connection, Map<Long, CompletableFuture<BranchStart>> starts) {
        Map<Long, Long> positions = new HashMap<>();
        List<BranchStart> resets = new ArrayList<>();
        List<BranchStart> freshOnes = new ArrayList<>();
        List<Visibility.Deliverable> replay = new ArrayList<>();
        for (CompletableFuture<BranchStart> f : starts.values()) {
            BranchStart s = f.join();
            if (s.position() != null) {
                positions.put(s.branch(), s.position());
            }
            replay.addAll(s.replay());
            if (s.resetReason() != null) {
                resets.add(s);
            } else if (s.snapshot() != null) {
                freshOnes.add(s);
            }
        }
        String id = EventCursor.of(positions).toString();
        List<ServerSentEvent<String>> control = new ArrayList<>();
        if (!resets.isEmpty()) {
            control.add(resetEvent(id, resets));
        }
        if (connection.endpoint().startsWithOmset()) {
            for (BranchStart s : freshOnes) {
                control.add(withId(ServerSentEvent.<String>builder(), id).event(Visibility.OMSET)
                        .data(EventCodec.toJson(today(s.snapshot()))).build());
            }
        }
        connection.goLive(positions, control, replay);
    }

    private ServerSentEvent<String> resetEvent(String id, List<BranchStart> resets) {
        List<Map<String, Object>> branches = new ArrayList<>();
        for (BranchStart s : resets) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("branchId", s.branch());
            b.put("seq", s.snapshot().seq());
            b.put("omset", today(s.snapshot()));
            b.put("lowStock", s.snapshot().stock().stream().filter(u -> "low".equals(u.alertLevel())).toList());
            branches.add(b);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", resets.get(0).resetReason());
        data.put("branches", branches);
        return withId(ServerSentEvent.<String>builder(), id).event("reset")
                .retry(Connection.jittered(config.retryBase(), config.retryJitter()))
                .data(EventCodec.toJson(data)).build();
    }

    /**
     * Before any snapshot exists (a new chain, or Redis came back empty) a connection has no
     * position yet: its first messages carry no id, and the first live event gives it one.
     */
    private static ServerSentEvent.Builder<String> withId(ServerSentEvent.Builder<String> builder, String id) {
        return id.isEmpty() ? builder : builder.id(id);
    }

    private Payloads.Omset today(EventBroker.BranchSnapshot s) {
        LocalDate today = LocalDate.now(config.zone());
        Payloads.Omset o = s.omset();
        return o != null && today.equals(o.date()) ? o : Payloads.Omset.zero(today, s.branchId());
    }

    /** Tells every client to reconnect elsewhere (jittered), then ends their streams. */
    public void drain() {
        for (Connection c : connections) {
            c.finish(Connection.Reason.SHUTDOWN, ServerSentEvent.<String>builder().event("reconnect")
                    .retry(Connection.jittered(config.retryBase(), config.retryJitter()))
                    .data("{\"reason\":\"shutdown\"}").build());
        }
    }

    public void shutdown() {
        serial.close();
    }
}
