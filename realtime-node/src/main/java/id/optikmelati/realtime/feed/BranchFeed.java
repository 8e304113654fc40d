package id.optikmelati.realtime.feed;

import id.optikmelati.contract.ShopEvent;
import id.optikmelati.realtime.screen.Deliverable;
import java.util.ArrayList;
import java.util.List;

/**
 * A branch as this node sees it: the last seq it published, its window, and while missed events
 * are read from history (a gap fill), the live events that came meanwhile. Owned by the feeds'
 * serial executor; no locking of its own.
 */
final class BranchFeed {

    /** What to do with a live event that arrives. */
    enum Arrival {
        /** The next seq: publish it. */
        NEXT,
        /** Already published (a gap fill got there first): drop it. */
        DUPLICATE,
        /** Seqs before it are missing: read them from history, then publish it. */
        GAP,
        /** A fill is under way: kept, it follows the missed events. */
        HELD
    }

    private long lastSeq = -1; // unknown until the first event
    private List<ShopEvent> held;
    private boolean fillAgain;
    private final Window window;

    BranchFeed(int windowSize) {
        this.window = new Window(windowSize);
    }

    long lastSeq() {
        return lastSeq;
    }

    Arrival arrive(ShopEvent event) {
        if (held != null) {
            held.add(event);
            return Arrival.HELD;
        }
        if (lastSeq >= 0 && event.seq() <= lastSeq) {
            return Arrival.DUPLICATE;
        }
        if (lastSeq >= 0 && event.seq() > lastSeq + 1) {
            return Arrival.GAP;
        }
        return Arrival.NEXT;
    }

    boolean filling() {
        return held != null;
    }

    /** A fill starts; {@code arrived} (the event that showed the gap, if any) follows what it reads. */
    void startFill(List<ShopEvent> arrived) {
        held = new ArrayList<>(arrived);
    }

    /** A resubscription came during the fill: its read may have ended before the new gap did. */
    void fillAgainAfterThis() {
        fillAgain = true;
    }

    /** The fill ended: the live events held meanwhile, in arrival order. */
    List<ShopEvent> endFill() {
        List<ShopEvent> later = held;
        held = null;
        return later;
    }

    /** Whether the fill that just ended must be followed by another one; asks once. */
    boolean takeFillAgain() {
        boolean again = fillAgain;
        fillAgain = false;
        return again;
    }

    /** Whether an event is past what was published (gap fill and held events overlap). */
    boolean isNew(ShopEvent event) {
        return event.seq() > lastSeq;
    }

    /** Records the branch's next published event; false if the window was full and dropped its oldest. */
    boolean published(Deliverable event) {
        lastSeq = event.event().seq();
        return window.add(event);
    }

    /** The window's events after {@code seq}, or null if it cannot serve a screen that saw up to there. */
    List<Deliverable> windowAfter(long seq) {
        return window.after(seq, lastSeq);
    }
}
