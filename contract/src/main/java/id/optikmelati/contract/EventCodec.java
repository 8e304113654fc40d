package id.optikmelati.contract;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
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

    /**
     * Decodes an envelope; anything that is not a complete, known event is rejected. It reads the
     * envelope token by token and keeps the payload as the text it is (checked to be one
     * well-formed object): this runs for every live event on every node.
     */
    public static ShopEvent decode(String json) {
        long branchId = 0;
        long seq = 0;
        String type = null;
        String committedAt = null;
        String data = null;
        try (JsonParser p = MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("not an event envelope: not a JSON object", null);
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "branchId" -> branchId = number(p, value, name);
                    case "seq" -> seq = number(p, value, name);
                    case "type" -> type = value == JsonToken.VALUE_STRING ? p.getString() : null;
                    case "committedAt" -> committedAt = value == JsonToken.VALUE_STRING ? p.getString() : null;
                    case "data" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw new MalformedEventException("event data is not an object", null);
                        }
                        int from = (int) p.currentTokenLocation().getCharOffset();
                        p.skipChildren();
                        data = json.substring(from, (int) p.currentLocation().getCharOffset());
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new MalformedEventException("not an event envelope: not one JSON object", null);
            }
        } catch (JacksonException ex) {
            throw new MalformedEventException("not an event envelope: " + ex.getOriginalMessage(), ex);
        }
        if (type == null || committedAt == null || data == null) {
            throw new MalformedEventException("event envelope is missing type, committedAt or data", null);
        }
        if (branchId <= 0 || seq <= 0) {
            throw new MalformedEventException("event envelope needs a positive branchId and seq", null);
        }
        EventType known = EventType.fromWireName(type).orElse(null);
        if (known == null) {
            throw new MalformedEventException("unknown event type '" + type + "'", null);
        }
        return new ShopEvent(branchId, seq, known, instant(committedAt), data);
    }

    private static long number(JsonParser p, JsonToken value, String name) {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedEventException("event " + name + " is not a whole number", null);
        }
        return p.getLongValue();
    }

    private static Instant instant(String text) {
        try {
            return parseInstant(text);
        } catch (DateTimeException e) {
            throw new MalformedEventException("event committedAt is not an instant: " + text, e);
        }
    }

    /**
     * An instant in the form Jackson writes it ({@code 2026-11-25T17:48:30.205273904Z}) read
     * directly: {@link Instant#parse} builds a formatter on every call, and this runs for every live
     * event (and, in the benchmark's client, for every delivery). Any other form goes to
     * {@link Instant#parse}.
     */
    public static Instant parseInstant(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z'
                || (n > 20 && (s.charAt(19) != '.' || n == 21))) {
            return Instant.parse(s);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nanos = n > 20 ? digits(s, 20, n - 1) : 0;
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || nanos < 0) {
            return Instant.parse(s); // a leap second, or not an instant at all
        }
        for (int fractionDigits = n - 21; fractionDigits > 0 && fractionDigits < 9; fractionDigits++) {
            nanos *= 10; // ".5" is 500,000,000 ns
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code s[from, to)}, or -1 if anything there is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public static String toJson(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** As {@link #toJson}, UTF-8 encoded: for bytes that go on the wire as they are. */
    public static byte[] toJsonBytes(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    public static <T> T fromJson(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JacksonException ex) {
            throw new MalformedEventException("cannot read " + type.getSimpleName() + ": " + ex.getOriginalMessage(), ex);
        }
    }

    /** The wire form; {@code data} goes out as the JSON it already is. */
    private record Envelope(long branchId, long seq, String type, Instant committedAt, @JsonRawValue String data) {}

    /** An event that cannot be decoded; it is counted and dropped, never half-applied. */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
