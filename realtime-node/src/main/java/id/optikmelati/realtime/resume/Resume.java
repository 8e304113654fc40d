package id.optikmelati.realtime.resume;

import id.optikmelati.contract.EventCursor;
import id.optikmelati.contract.ScreenMessages.ResetReason;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.realtime.screen.Deliverable;
import java.util.List;
import java.util.Optional;

/**
 * Where a screen's stream starts in each branch of its view: the rules alone, no reads. A screen
 * with no position in a branch starts at the branch's snapshot; one whose position the window
 * still reaches replays from memory; one further back replays from the store's history, if that
 * reaches back to it and is not longer than a replay may be; otherwise it gets a {@code reset} with
 * the snapshot.
 */
public final class Resume {

    private Resume() {}

    /** What a screen says it has seen, from its Last-Event-ID. */
    public sealed interface Claim {}

    /** No id: a new screen. */
    public record Fresh() implements Claim {}

    /** An id that is not a cursor. */
    public record Malformed() implements Claim {}

    /** A cursor: the last seq seen in each branch it names. */
    public record Seen(EventCursor cursor) implements Claim {}

    public static Claim claim(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return new Fresh();
        }
        Optional<EventCursor> cursor = EventCursor.parse(lastEventId.trim());
        return cursor.<Claim>map(Seen::new).orElseGet(Malformed::new);
    }

    /** The seq the claim names in this branch, if any. */
    public static Optional<Long> seenIn(Claim claim, long branch) {
        return claim instanceof Seen s ? s.cursor().seqOf(branch) : Optional.empty();
    }

    /** Where a branch starts, as far as it can be told before reading anything. */
    public sealed interface Start {}

    /** At the branch's snapshot, with no reset: the screen had no position there. */
    public record AtSnapshot() implements Start {}

    /** After {@code seen}, with these events from the window. */
    public record FromWindow(long seen, List<Deliverable> events) implements Start {}

    /** After {@code seen}, with what the store's history holds after it (still to be read). */
    public record FromHistory(long seen) implements Start {}

    /** Over again at the snapshot, told why. */
    public record Reset(ResetReason reason) implements Start {}

    /**
     * @param window the window's events after the seq the claim names in this branch, or null if
     *     the window cannot serve it (or the claim names none)
     */
    public static Start start(Claim claim, long branch, List<Deliverable> window) {
        if (claim instanceof Malformed) {
            return new Reset(ResetReason.MALFORMED_ID);
        }
        Optional<Long> seen = seenIn(claim, branch);
        if (seen.isEmpty()) {
            return new AtSnapshot();
        }
        return window != null ? new FromWindow(seen.get(), window) : new FromHistory(seen.get());
    }

    /**
     * What history gives a screen that saw up to {@code seen}: a replay, or a reset if more than
     * {@code maxReplay} events were read (history was asked for one more), history begins after
     * the screen's next event, or the screen claims more than the branch ever published ({@code
     * headSeq}, the branch's last seq, if known).
     */
    public static Optional<ResetReason> checkHistory(long seen, List<ShopEvent> events, int maxReplay, Long headSeq) {
        if (events.isEmpty() && headSeq != null && seen > headSeq) {
            return Optional.of(ResetReason.AHEAD_OF_HISTORY);
        }
        if (events.size() > maxReplay) {
            return Optional.of(ResetReason.TOO_FAR_BEHIND);
        }
        if (!events.isEmpty() && events.get(0).seq() != seen + 1) {
            return Optional.of(ResetReason.HISTORY_TRIMMED);
        }
        return Optional.empty();
    }
}
