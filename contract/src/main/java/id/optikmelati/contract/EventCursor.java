package id.optikmelati.contract;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The SSE event id: the last seq a client has seen in each branch of its view, as
 * {@code <branch>:<seq>} pairs joined by commas in branch order, e.g. {@code 1:45,2:37}.
 *
 * <p>A branch's seq is dense and in commit order, so a cursor names exactly which events a client
 * has and has not got, in one branch or in many. A view over many branches carries one pair per
 * branch; that is what lets a super admin's screen resume on any node with no gap and no duplicate.
 */
public final class EventCursor {

    /** Longest id we accept (about 700 branches); browsers echo it back in Last-Event-ID. */
    public static final int MAX_LENGTH = 16 * 1024;

    private final SortedMap<Long, Long> positions;

    private EventCursor(SortedMap<Long, Long> positions) {
        this.positions = positions;
    }

    public static EventCursor of(Map<Long, Long> positions) {
        positions.forEach((branch, seq) -> {
            if (branch <= 0 || seq < 0) {
                throw new IllegalArgumentException("branch must be positive and seq non-negative");
            }
        });
        return new EventCursor(Collections.unmodifiableSortedMap(new TreeMap<>(positions)));
    }

    public static EventCursor empty() {
        return new EventCursor(Collections.emptySortedMap());
    }

    /** Parses a Last-Event-ID; empty when it is not a well-formed cursor (never throws). */
    public static Optional<EventCursor> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        TreeMap<Long, Long> positions = new TreeMap<>();
        long previousBranch = 0;
        for (String pair : text.split(",", -1)) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon != pair.lastIndexOf(':')) {
                return Optional.empty();
            }
            Long branch = parseNumber(pair.substring(0, colon));
            Long seq = parseNumber(pair.substring(colon + 1));
            if (branch == null || seq == null || branch <= previousBranch) {
                return Optional.empty(); // missing, negative, not ascending, or duplicated
            }
            positions.put(branch, seq);
            previousBranch = branch;
        }
        return Optional.of(new EventCursor(Collections.unmodifiableSortedMap(positions)));
    }

    /** Digits only (no sign, no spaces), at most 18 of them so it always fits a long. */
    private static Long parseNumber(String s) {
        OptionalLong n = s.length() > 18 ? OptionalLong.empty() : PlainNumbers.parseUnsigned(s);
        return n.isPresent() ? n.getAsLong() : null;
    }

    public Map<Long, Long> positions() {
        return positions;
    }

    /** The seq seen in a branch, if the cursor covers it. */
    public Optional<Long> seqOf(long branchId) {
        return Optional.ofNullable(positions.get(branchId));
    }

    public EventCursor with(long branchId, long seq) {
        TreeMap<Long, Long> next = new TreeMap<>(positions);
        next.put(branchId, seq);
        return new EventCursor(Collections.unmodifiableSortedMap(next));
    }

    public boolean isEmpty() {
        return positions.isEmpty();
    }

    /** The wire form; {@code parse(c.toString())} gives back an equal cursor. */
    @Override
    public String toString() {
        return format(positions);
    }

    /**
     * The wire form of positions a caller keeps itself (branch to seq, in branch order), without
     * building a cursor: a connection formats its id for every message it sends.
     */
    public static String format(SortedMap<Long, Long> positions) {
        StringBuilder sb = new StringBuilder(positions.size() * 12);
        positions.forEach((branch, seq) -> {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(branch).append(':').append(seq);
        });
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventCursor other && positions.equals(other.positions);
    }

    @Override
    public int hashCode() {
        return positions.hashCode();
    }
}
