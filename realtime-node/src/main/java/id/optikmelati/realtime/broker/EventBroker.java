package id.optikmelati.realtime.broker;

import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ShopEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * All a realtime node needs from the event store, and nothing of how it is stored: live events,
 * a branch's history after a seq, and a branch's snapshot (or just its head). The connection hub only sees this
 * interface; Redis is one implementation ({@link RedisEventBroker}).
 */
public interface EventBroker {

    /** Starts the one subscription of this node; events reach the listener in seq order per branch. */
    void start(Listener listener);

    /** Adds a branch to the subscription (branches can be opened while the node runs); safe to repeat. */
    void watch(long branchId);

    /** Events of a branch with seq greater than {@code afterSeq}, oldest first, at most {@code limit}. */
    CompletableFuture<List<ShopEvent>> history(long branchId, long afterSeq, int limit);

    /** The branch's latest state, or an empty one if the store has none. */
    CompletableFuture<BranchSnapshot> snapshot(long branchId);

    /** Where the branch's snapshot stands and its omset, without its stock: what a new screen starts from. */
    CompletableFuture<BranchHead> head(long branchId);

    /** Every branch the chain has, id to name. */
    CompletableFuture<Map<Long, String>> branches();

    interface Listener {
        void onEvent(ShopEvent event);

        /** The subscription to a branch was (re)established; events may have been missed before it. */
        void onSubscribed(long branchId);
    }

    /**
     * A branch's state at {@code seq} (null when the store has no snapshot, e.g. Redis just came
     * back empty): today's omset (null if no sale yet) and the stock of every product.
     */
    record BranchSnapshot(long branchId, Long seq, Payloads.Omset omset, List<Payloads.StockUpdate> stock) {}

    /** The seq and omset of a branch's snapshot (both null when the store has none). */
    record BranchHead(long branchId, Long seq, Payloads.Omset omset) {}
}
