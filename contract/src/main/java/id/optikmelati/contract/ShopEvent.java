package id.optikmelati.contract;

import java.time.Instant;

/**
 * One committed change, as it travels from the outbox through Redis to the realtime nodes.
 *
 * <p>The payload stays the JSON text it was relayed as: a node keeps thousands of recent events
 * for replays and sends most of them on as they are, so it parses a payload only where a screen
 * needs a different shape of it, and holds one string per event instead of a tree.
 *
 * @param branchId the branch whose stream holds the event
 * @param seq the event's position in its branch: dense (1, 2, 3, ...) and in commit order
 * @param type what happened
 * @param committedAt when the change committed, so latency can be measured downstream
 * @param data the type's payload ({@link Payloads}) as compact JSON text, always an object
 */
public record ShopEvent(long branchId, long seq, EventType type, Instant committedAt, String data) {

    /** An event whose payload is written with the contract's codec. */
    public static ShopEvent of(long branchId, long seq, EventType type, Instant committedAt, Object payload) {
        return new ShopEvent(branchId, seq, type, committedAt, EventCodec.toJson(payload));
    }

    public <T> T dataAs(Class<T> payloadType) {
        return EventCodec.fromJson(data, payloadType);
    }
}
