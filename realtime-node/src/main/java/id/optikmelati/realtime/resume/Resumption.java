package id.optikmelati.realtime.resume;

import id.optikmelati.contract.AlertLevel;
import id.optikmelati.contract.EventCursor;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ScreenMessages;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.realtime.broker.EventBroker;
import id.optikmelati.realtime.screen.ControlMessages;
import id.optikmelati.realtime.screen.Deliverable;
import id.optikmelati.realtime.screen.Endpoint;
import id.optikmelati.realtime.wire.SseMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Carries out {@link Resume}'s decisions for one screen: reads what they need (a new screen only
 * the branch's head, a reset the whole snapshot, a replay the history), once for all screens that
 * ask for the same at the same time (a wave of reconnects), and gives the stream's opening: where the screen stands in each branch, the control messages that go
 * first (a reset, or the first omset figure) and the events to replay, in order.
 *
 * <p>A branch with no snapshot is what a screen finds just after Redis lost its data, while the API
 * writes the branch's stream back from the outbox and then seeds its snapshot again: history that
 * does not reach back to the screen, and the snapshot a reset needs, are read again for up to
 * {@code rewriteWait} before the screen is reset. (A new screen starts at once, with no position
 * until the branch's next event, as before any snapshot.)
 */
public final class Resumption {

    private static final long REREAD_MILLIS = 250;

    /** What a stream sends before it goes live, and where that leaves the screen. */
    public record Opening(Map<Long, Long> positions, List<SseMessage> control, List<Deliverable> replay) {}

    /**
     * Where a screen starts in one branch once the reads are done: a new screen with the branch's
     * omset ({@code fresh}), a reset with the snapshot it starts from, or a replay.
     */
    private record BranchStart(long branch, Long position, List<Deliverable> replay, EventBroker.BranchHead fresh,
            EventBroker.BranchSnapshot reset, ScreenMessages.ResetReason reason) {}

    private final EventBroker broker;
    private final ControlMessages messages;
    private final int maxReplay;
    private final ZoneId zone;
    private final Clock clock;
    private final Map<String, CompletableFuture<List<ShopEvent>>> historyReads = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<EventBroker.BranchHead>> headReads = new ConcurrentHashMap<>();
    private final Counter replayMemory;
    private final Counter replayRedis;
    private final Counter replayReset;
    private final Counter malformedIds;
    private final Counter aheadIds;
    private final DistributionSummary replaySize;
    private final Counter rewriteWaits;
    private final Duration rewriteWait;

    /** @param rewriteWait how long a lost-looking history or snapshot is read again before the screen is reset */
    public Resumption(EventBroker broker, ControlMessages messages, int maxReplay, ZoneId zone, Clock clock,
            Duration rewriteWait, MeterRegistry meters) {
        this.broker = broker;
        this.rewriteWait = rewriteWait;
        this.messages = messages;
        this.maxReplay = maxReplay;
        this.zone = zone;
        this.clock = clock;
        this.replayMemory = replays(meters, "memory");
        this.replayRedis = replays(meters, "redis");
        this.replayReset = replays(meters, "reset");
        this.malformedIds = Counter.builder("optik.realtime.last.event.id.malformed")
                .description("Reconnects whose Last-Event-ID could not be parsed (answered with a reset)")
                .register(meters);
        this.aheadIds = Counter.builder("optik.realtime.last.event.id.ahead")
                .description("Reconnects whose Last-Event-ID was past anything the branch published (answered with a reset)")
                .register(meters);
        this.replaySize = DistributionSummary.builder("optik.realtime.replay.size").baseUnit("events")
                .description("Events replayed per reconnect").register(meters);
        this.rewriteWaits = Counter.builder("optik.realtime.history.rewrite.waits")
                .description("Reconnects that found history or the snapshot lost and waited for the API to write it back")
                .register(meters);
    }

    private static Counter replays(MeterRegistry meters, String source) {
        return Counter.builder("optik.realtime.replays").tag("source", source)
                .description("Reconnects served by source of history").register(meters);
    }

    /**
     * @param branches the screen's view, in the order its replay goes out
     * @param windows per branch, the window's events after the claimed seq ({@link Resume#start})
     */
    public CompletableFuture<Opening> open(Resume.Claim claim, Set<Long> branches,
            Map<Long, List<Deliverable>> windows, Endpoint endpoint) {
        if (claim instanceof Resume.Malformed) {
            malformedIds.increment();
        }
        Map<Long, CompletableFuture<BranchStart>> starts = new LinkedHashMap<>();
        for (long branch : branches) {
            starts.put(branch, carryOut(branch, Resume.start(claim, branch, windows.get(branch))));
        }
        return CompletableFuture.allOf(starts.values().toArray(CompletableFuture[]::new))
                .thenApply(ignored -> opening(starts.values().stream().map(CompletableFuture::join).toList(), endpoint));
    }

    private CompletableFuture<BranchStart> carryOut(long branch, Resume.Start start) {
        if (start instanceof Resume.Reset r) {
            return reset(branch, r.reason());
        }
        if (start instanceof Resume.FromWindow w) {
            replayMemory.increment();
            replaySize.record(w.events().size());
            return CompletableFuture.completedFuture(new BranchStart(branch, w.seen(), w.events(), null, null, null));
        }
        if (start instanceof Resume.FromHistory h) {
            return historyOnceWhole(branch, h.seen()).thenCompose(read -> {
                List<ShopEvent> events = read.events();
                var reset = Resume.checkHistory(h.seen(), events, maxReplay, read.headSeq());
                if (reset.isPresent()) {
                    if (reset.get() == ScreenMessages.ResetReason.AHEAD_OF_HISTORY) {
                        aheadIds.increment();
                    }
                    return reset(branch, reset.get());
                }
                replayRedis.increment();
                replaySize.record(events.size());
                List<Deliverable> replay = events.stream().map(Deliverable::new).toList();
                return CompletableFuture.completedFuture(new BranchStart(branch, h.seen(), replay, null, null, null));
            });
        }
        return head(branch).thenApply(head -> new BranchStart(branch, head.seq(), List.of(), head, null, null));
    }

    private CompletableFuture<BranchStart> reset(long branch, ScreenMessages.ResetReason reason) {
        replayReset.increment();
        return untilSettled(() -> broker.snapshot(branch), s -> s.seq() != null, deadline())
                .thenApply(s -> new BranchStart(branch, s.seq(), List.of(), null, s, reason));
    }

    /**
     * History after {@code seen}; while it does not reach back there and the branch has no snapshot
     * (the API writes a lost stream back before it seeds the snapshot again), read again, up to the
     * bound. With a snapshot there, history that does not reach back was trimmed: no wait.
     */
    private CompletableFuture<HistoryRead> historyOnceWhole(long branch, long seen) {
        return untilSettled(() -> history(branch, seen).thenCompose(events ->
                        !events.isEmpty() && events.get(0).seq() == seen + 1
                                ? CompletableFuture.completedFuture(new HistoryRead(events, true, null))
                                : head(branch).thenApply(h -> new HistoryRead(events, h.seq() != null, h.seq()))),
                HistoryRead::settled, deadline());
    }

    /** History after a screen's seq; where it does not reach back there, the branch's head as well (null: no snapshot). */
    private record HistoryRead(List<ShopEvent> events, boolean settled, Long headSeq) {}

    private long deadline() {
        return System.nanoTime() + rewriteWait.toNanos();
    }

    /** The read's answer once {@code settled} holds for it, or its last answer at the deadline. */
    private <T> CompletableFuture<T> untilSettled(Supplier<CompletableFuture<T>> read,
            java.util.function.Predicate<T> settled, long deadline) {
        return read.get().thenCompose(value -> {
            if (settled.test(value) || System.nanoTime() >= deadline) {
                return CompletableFuture.completedFuture(value);
            }
            rewriteWaits.increment();
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(REREAD_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> untilSettled(read, settled, deadline));
        });
    }

    /** Reads a branch's head once for every new screen of the branch at the same time (a wave of them). */
    private CompletableFuture<EventBroker.BranchHead> head(long branch) {
        return shared(headReads, branch, () -> broker.head(branch));
    }

    /** Reads history once for every screen that asks for the same branch and seq at the same time. */
    private CompletableFuture<List<ShopEvent>> history(long branch, long after) {
        return shared(historyReads, branch + ":" + after, () -> broker.history(branch, after, maxReplay + 1));
    }

    /** The read under way for this key, or a new one that the next callers share until it completes. */
    private static <K, T> CompletableFuture<T> shared(Map<K, CompletableFuture<T>> reads, K key,
            Supplier<CompletableFuture<T>> read) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> under = reads.putIfAbsent(key, mine);
        if (under != null) {
            return under;
        }
        read.get().whenComplete((value, error) -> {
            reads.remove(key, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(value);
            }
        });
        return mine;
    }

    private Opening opening(List<BranchStart> starts, Endpoint endpoint) {
        Map<Long, Long> positions = new HashMap<>();
        List<ScreenMessages.BranchState> resets = new ArrayList<>();
        ScreenMessages.ResetReason reason = null;
        List<Payloads.Omset> figures = new ArrayList<>();
        List<Deliverable> replay = new ArrayList<>();
        for (BranchStart s : starts) {
            if (s.position() != null) {
                positions.put(s.branch(), s.position());
            }
            replay.addAll(s.replay());
            if (s.reset() != null) {
                reason = reason == null ? s.reason() : reason;
                resets.add(state(s.reset()));
            } else if (s.fresh() != null) {
                figures.add(today(s.branch(), s.fresh().omset()));
            }
        }
        // Before any snapshot exists (a new chain, or Redis came back empty) a screen has no position
        // yet: its first messages carry no id, and the first live event gives it one.
        String id = EventCursor.of(positions).toString();
        List<SseMessage> control = new ArrayList<>();
        if (!resets.isEmpty()) {
            control.add(messages.reset(id, reason, resets));
        }
        if (endpoint.startsWithOmset()) {
            figures.forEach(omset -> control.add(messages.omset(id, omset)));
        }
        return new Opening(positions, control, replay);
    }

    private ScreenMessages.BranchState state(EventBroker.BranchSnapshot s) {
        String low = AlertLevel.LOW.wireName();
        return new ScreenMessages.BranchState(s.branchId(), s.seq(), today(s.branchId(), s.omset()),
                s.stock().stream().filter(u -> low.equals(u.alertLevel())).toList());
    }

    /** The stored omset if it is today's, else today's zero (no sale yet today). */
    private Payloads.Omset today(long branch, Payloads.Omset stored) {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        return stored != null && today.equals(stored.date()) ? stored : Payloads.Omset.zero(today, branch);
    }
}
