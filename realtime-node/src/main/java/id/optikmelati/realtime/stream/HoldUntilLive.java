package id.optikmelati.realtime.stream;

import id.optikmelati.realtime.screen.Deliverable;
import java.util.ArrayList;
import java.util.List;

/**
 * The live events a stream receives while its opening (reset, replay) is still being read: they
 * wait here, in the order they came, and go out right after the replay. After that the stream is
 * live and nothing waits. Confined to the connection's event loop.
 */
final class HoldUntilLive {

    private List<Deliverable> held = new ArrayList<>(0);

    boolean isLive() {
        return held == null;
    }

    /** Keeps an event for later; only before {@link #goLive}. */
    void hold(Deliverable event) {
        held.add(event);
    }

    /** What was held, in order; from now on the stream is live. */
    List<Deliverable> goLive() {
        List<Deliverable> out = held;
        held = null;
        return out;
    }
}
