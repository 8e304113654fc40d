package id.optikmelati.contract;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One committed change, as it travels from the outbox through Redis to the realtime nodes.
 *
 * @param branchId the branch whose stream holds the event
 * @param seq the event's position in its branch: dense (1, 2, 3, ...) and in commit order
 * @param type what happened
 * @param committedAt when the change committed, so latency can be measured downstream
 * @param data the type's payload ({@link Payloads})
 */
public record ShopEvent(long branchId, long seq, EventType type, Instant committedAt, JsonNode data) {

    public <T> T dataAs(Class<T> payloadType) {
        return EventCodec.treeToValue(data, payloadType);
    }
}
