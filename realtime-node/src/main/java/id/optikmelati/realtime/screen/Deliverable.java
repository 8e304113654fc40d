package id.optikmelati.realtime.screen;

import id.optikmelati.contract.ShopEvent;
import id.optikmelati.realtime.wire.SseFrames;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Optional;

/**
 * An event with what each audience sees of it ({@link Visibility}), computed on first need and
 * shared by every connection: the event loops of the node read and fill the same slots. A slot is
 * written with release and read with acquire semantics, so a loop that finds another loop's bytes
 * also sees them complete; two loops that both find a slot empty compute the same value, and either
 * may stay.
 */
public final class Deliverable {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    private final ShopEvent event;
    /** Per audience: an {@code Optional<Message>}, or null until projected. */
    private final Object[] projections = new Object[Visibility.AUDIENCES];
    /** Per audience: the single-branch chunk ({@code byte[]}), or null until framed. */
    private final Object[] chunks = new Object[Visibility.AUDIENCES];
    /** Per endpoint: its {@link Conflation} keys ({@code List<Key>}), or null until a slow screen asks. */
    private final Object[] conflationKeys = new Object[Endpoint.values().length];

    public Deliverable(ShopEvent event) {
        this.event = event;
    }

    public ShopEvent event() {
        return event;
    }

    @SuppressWarnings("unchecked")
    Optional<Visibility.Message> projectionFor(Endpoint endpoint, boolean admin) {
        int slot = Visibility.audience(endpoint, admin);
        Optional<Visibility.Message> p = (Optional<Visibility.Message>) SLOT.getAcquire(projections, slot);
        if (p == null) {
            p = Visibility.project(event, endpoint, admin);
            SLOT.setRelease(projections, slot, p);
        }
        return p;
    }

    /**
     * The wire bytes of this event for a viewer whose view is this one branch, as an HTTP chunk:
     * the id is then {@code <branch>:<seq>} for all of them, so it is encoded once per audience.
     */
    public byte[] singleBranchChunk(Endpoint endpoint, boolean admin, Visibility.Message message) {
        int slot = Visibility.audience(endpoint, admin);
        byte[] c = (byte[]) SLOT.getAcquire(chunks, slot);
        if (c == null) {
            c = SseFrames.eventChunk(event.branchId() + ":" + event.seq(), message.name(), message.data());
            SLOT.setRelease(chunks, slot, c);
        }
        return c;
    }

    /** What this event's message on that endpoint is the latest value of ({@link Conflation}). */
    @SuppressWarnings("unchecked")
    public List<Conflation.Key> conflationKeys(Endpoint endpoint) {
        int slot = endpoint.ordinal();
        List<Conflation.Key> keys = (List<Conflation.Key>) SLOT.getAcquire(conflationKeys, slot);
        if (keys == null) {
            keys = Conflation.keysOf(event, endpoint);
            SLOT.setRelease(conflationKeys, slot, keys);
        }
        return keys;
    }

    /**
     * Drops what was computed for the live hand-over. The event stays in the replay window for
     * a minute or more, and a replay computes what it needs again; holding only the payload text
     * makes a windowed event less than half the size, and windowed events are nearly all that
     * each young GC has to copy.
     */
    public void forgetFrames() {
        for (int i = 0; i < Visibility.AUDIENCES; i++) {
            SLOT.setRelease(projections, i, null);
            SLOT.setRelease(chunks, i, null);
        }
        for (int i = 0; i < conflationKeys.length; i++) {
            SLOT.setRelease(conflationKeys, i, null);
        }
    }
}
