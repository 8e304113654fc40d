package id.optikmelati.contract;

import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON codec of the event contract: the envelope that is stored in the Redis stream, sent
 * over pub/sub and decoded by the realtime nodes. Both sides use this class so they cannot drift.
 */
public final class EventCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventCodec() {}

    /** The mapper the contract is written with; callers that build payloads should use it too. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static String encode(ShopEvent event) {
        return MAPPER.writeValueAsString(new Envelope(
                event.branchId(), event.seq(), event.type().wireName(), event.committedAt(), event.data()));
    }

    /** Decodes an envelope; anything that is not a complete, known event is rejected. */
    public static ShopEvent decode(String json) {
        Envelope e;
        try {
            e = MAPPER.readValue(json, Envelope.class);
        } catch (JacksonException ex) {
            throw new MalformedEventException("not an event envelope: " + ex.getOriginalMessage(), ex);
        }
        if (e == null || e.type() == null || e.committedAt() == null || e.data() == null || e.data().isNull()) {
            throw new MalformedEventException("event envelope is missing type, committedAt or data", null);
        }
        if (e.branchId() <= 0 || e.seq() <= 0) {
            throw new MalformedEventException("event envelope needs a positive branchId and seq", null);
        }
        EventType type = EventType.fromWireName(e.type())
                .orElseThrow(() -> new MalformedEventException("unknown event type '" + e.type() + "'", null));
        return new ShopEvent(e.branchId(), e.seq(), type, e.committedAt(), e.data());
    }

    public static JsonNode toTree(Object payload) {
        return MAPPER.valueToTree(payload);
    }

    public static String toJson(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    public static <T> T fromJson(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JacksonException ex) {
            throw new MalformedEventException("cannot read " + type.getSimpleName() + ": " + ex.getOriginalMessage(), ex);
        }
    }

    static <T> T treeToValue(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JacksonException ex) {
            throw new MalformedEventException("payload is not a " + type.getSimpleName() + ": " + ex.getOriginalMessage(), ex);
        }
    }

    private record Envelope(long branchId, long seq, String type, Instant committedAt, JsonNode data) {}

    /** An event that cannot be decoded; it is counted and dropped, never half-applied. */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
