package id.optikmelati.realtime.stream;

import java.util.Arrays;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where one screen stands in each branch of its view (a fixed set): the last seq it was sent. It
 * moves on every delivery, so it is kept as primitives (a boxed seq per delivery was most of the
 * node's garbage), and it decides whether an event is the screen's next one.
 */
final class ConnectionCursor {

    /** What an event is to this screen. */
    enum Step {
        /** Its next event (or the first of a branch with no position yet): send it. */
        NEXT,
        /** Already sent (replay and live overlap): skip it, at most once. */
        ALREADY_SENT,
        /** Events between are missing and could not be filled: the stream must end. */
        GAP,
        /** Not a branch of this view. */
        OTHER_BRANCH
    }

    static final long UNKNOWN = Long.MIN_VALUE;
    private final long[] branchIds;
    private final long[] seqs;

    ConnectionCursor(Set<Long> branches) {
        this.branchIds = branches.stream().mapToLong(Long::longValue).sorted().toArray();
        this.seqs = new long[branchIds.length];
        Arrays.fill(seqs, UNKNOWN);
    }

    /** Where the screen stands in a branch, {@link #UNKNOWN} before its first position there. */
    long get(long branch) {
        int i = Arrays.binarySearch(branchIds, branch);
        return i < 0 ? UNKNOWN : seqs[i];
    }

    void set(long branch, long seq) {
        int i = Arrays.binarySearch(branchIds, branch);
        if (i >= 0) {
            seqs[i] = seq;
        }
    }

    /** Whether the event is the screen's next, and if so moves the cursor past it. */
    Step advance(long branch, long seq) {
        int i = Arrays.binarySearch(branchIds, branch);
        if (i < 0) {
            return Step.OTHER_BRANCH;
        }
        long at = seqs[i];
        if (at != UNKNOWN && seq <= at) {
            return Step.ALREADY_SENT;
        }
        if (at != UNKNOWN && seq > at + 1) {
            return Step.GAP;
        }
        seqs[i] = seq;
        return Step.NEXT;
    }

    /** The known positions, in branch order: what the event id carries. */
    SortedMap<Long, Long> known() {
        SortedMap<Long, Long> out = new TreeMap<>();
        for (int i = 0; i < branchIds.length; i++) {
            if (seqs[i] != UNKNOWN) {
                out.put(branchIds[i], seqs[i]);
            }
        }
        return out;
    }
}
