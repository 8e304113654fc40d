package id.optikmelati.realtime.feed;

import id.optikmelati.realtime.screen.Deliverable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A branch's most recent events in memory, oldest first, at most {@code capacity} of them: what
 * serves a screen that reconnects shortly after it left, with no read from the store. Its events
 * are consecutive seqs, as the feed publishes them.
 */
final class Window {

    private final ArrayDeque<Deliverable> events = new ArrayDeque<>();
    private final int capacity;

    Window(int capacity) {
        this.capacity = capacity;
    }

    /** Adds the branch's next event; false if the window was full and its oldest one went. */
    boolean add(Deliverable event) {
        events.addLast(event);
        if (events.size() > capacity) {
            events.removeFirst();
            return false;
        }
        return true;
    }

    /**
     * The events after {@code seq}, for a screen that has seen up to it, or null if the window
     * cannot say: it does not reach back that far, or {@code seq} is beyond {@code lastSeq}, the
     * last event the feed published (-1: none yet).
     */
    List<Deliverable> after(long seq, long lastSeq) {
        if (lastSeq >= 0 && seq == lastSeq) {
            return List.of();
        }
        if (events.isEmpty() || events.peekFirst().event().seq() > seq + 1 || seq > lastSeq) {
            return null;
        }
        List<Deliverable> out = new ArrayList<>();
        for (Deliverable d : events) {
            if (d.event().seq() > seq) {
                out.add(d);
            }
        }
        return out;
    }

    int size() {
        return events.size();
    }
}
