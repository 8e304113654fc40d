package id.optikmelati.realtime.broker;

import id.optikmelati.contract.ShopEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link EventBroker} in this JVM's memory, with the Redis broker's contract (one contract test
 * holds both to it): for tests of the delivery path that need no server, and a node on its own.
 * What the relay's script does to Redis, {@link #publish} and {@link #putSnapshot} do here; a few
 * methods more stand in for what a real store does to a node (a lost live message, trimmed
 * history, a subscription that drops and comes back, a slow read).
 */
public final class InMemoryEventBroker implements EventBroker {

    private final Map<Long, List<ShopEvent>> history = new TreeMap<>(); // guarded by this
    private final Map<Long, BranchSnapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<Long, String> branches = new ConcurrentHashMap<>();
    private final Set<Long> watched = ConcurrentHashMap.newKeySet();
    private volatile Listener listener;
    private volatile CompletableFuture<Void> historyGate = CompletableFuture.completedFuture(null);
    private final AtomicInteger historyReads = new AtomicInteger();

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        watched.forEach(listener::onSubscribed);
    }

    @Override
    public void watch(long branchId) {
        if (watched.add(branchId) && listener != null) {
            listener.onSubscribed(branchId);
        }
    }

    @Override
    public CompletableFuture<List<ShopEvent>> history(long branchId, long afterSeq, int limit) {
        historyReads.incrementAndGet();
        List<ShopEvent> found = new ArrayList<>();
        synchronized (this) {
            for (ShopEvent e : history.getOrDefault(branchId, List.of())) {
                if (e.seq() > afterSeq && found.size() < limit) {
                    found.add(e);
                }
            }
        }
        return historyGate.thenApply(open -> found);
    }

    @Override
    public CompletableFuture<BranchSnapshot> snapshot(long branchId) {
        return CompletableFuture.completedFuture(
                snapshots.getOrDefault(branchId, new BranchSnapshot(branchId, null, null, List.of())));
    }

    @Override
    public CompletableFuture<BranchHead> head(long branchId) {
        BranchSnapshot s = snapshots.getOrDefault(branchId, new BranchSnapshot(branchId, null, null, List.of()));
        return CompletableFuture.completedFuture(new BranchHead(branchId, s.seq(), s.omset()));
    }

    @Override
    public CompletableFuture<Map<Long, String>> branches() {
        return CompletableFuture.completedFuture(new TreeMap<>(branches));
    }

    // ---- the writer's side, as the relay's script does it in Redis ----

    public void addBranch(long branchId, String name) {
        branches.put(branchId, name);
    }

    /** Appends the event to its branch's history and sends it live: exactly once per seq, in order. */
    public void publish(ShopEvent event) {
        if (record(event)) {
            Listener l = listener;
            if (l != null && watched.contains(event.branchId())) {
                l.onEvent(event);
            }
        }
    }

    /**
     * Appends the event to history without sending it live, as when its live message is lost in
     * flight; false if the branch's history already reaches that seq.
     */
    public synchronized boolean record(ShopEvent event) {
        List<ShopEvent> events = history.computeIfAbsent(event.branchId(), b -> new ArrayList<>());
        if (!events.isEmpty() && events.get(events.size() - 1).seq() >= event.seq()) {
            return false;
        }
        events.add(event);
        return true;
    }

    public void putSnapshot(BranchSnapshot snapshot) {
        snapshots.put(snapshot.branchId(), snapshot);
    }

    /** Forgets a branch's history and snapshot, as a Redis that lost its data would. */
    public synchronized void forget(long branchId) {
        history.remove(branchId);
        snapshots.remove(branchId);
    }

    /** Drops a branch's history before {@code firstKeptSeq}, as trimming by length or age does. */
    public synchronized void trimBefore(long branchId, long firstKeptSeq) {
        history.getOrDefault(branchId, new ArrayList<>()).removeIf(e -> e.seq() < firstKeptSeq);
    }

    // ---- what a real store does to a node ----

    /** The subscription to every watched branch dropped and came back: the node must look for what it missed. */
    public void resubscribe() {
        Listener l = listener;
        if (l != null) {
            watched.forEach(l::onSubscribed);
        }
    }

    /** From now on history reads wait until the returned gate is completed (a slow read, held in place). */
    public CompletableFuture<Void> holdHistoryReads() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        historyGate = gate;
        return gate;
    }

    /** How many reads of history were asked for so far. */
    public int historyReads() {
        return historyReads.get();
    }
}
