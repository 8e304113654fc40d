package id.optikmelati.realtime.stream;

import id.optikmelati.contract.EventCursor;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.contract.ShopPrincipal;
import id.optikmelati.realtime.screen.Conflation;
import id.optikmelati.realtime.screen.Deliverable;
import id.optikmelati.realtime.screen.Endpoint;
import id.optikmelati.realtime.screen.Visibility;
import id.optikmelati.realtime.wire.LoopChunks;
import id.optikmelati.realtime.wire.SocketWriter;
import id.optikmelati.realtime.wire.SseFrames;
import id.optikmelati.realtime.wire.SseMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * One screen's stream: who watches, which branches, where it stands in each ({@link
 * ConnectionCursor}), and its socket. Every live event reaches it in seq order per branch; it sends
 * each one at most once, ends the stream on a gap it cannot fill (the screen reconnects with its
 * last id), and holds live events until its opening is out ({@link HoldUntilLive}).
 *
 * <p>A screen that reads more slowly than its events come is not cut off: what its socket has no
 * room for waits in a {@link Backlog}, where a stock level or an omset figure gives way to a newer
 * one, and goes out as the socket drains. A screen that takes nothing for the stall timeout, or
 * whose backlog outgrows its capacity even so, is cut off and reconnects with its last id.
 *
 * <p>Confined to the socket's event loop: every method that writes runs there (calls from other
 * threads hop over), so the opening, the held events and later live events go out in the order
 * they were decided.
 */
public final class Connection {

    /** Why a stream ended; a label of the disconnect metric. */
    public enum Reason {
        CLIENT_GONE, SLOW_CONSUMER, TOKEN_EXPIRED, REVOKED, SHUTDOWN, GAP, UNAVAILABLE
    }

    /** What the connection tells its owner: an event was written (committed at that time); the stream ended cleanly. */
    interface Events {
        void delivered(long committedAtMillis);

        void finished();

        /** Messages a slow screen was not sent because a newer value of the same thing went instead. */
        default void skipped(long messages) {}
    }

    /** Framed once; only idle streams get it, so each write just wraps these bytes. */
    private static final byte[] HEARTBEAT = SseFrames.commentChunk("heartbeat");

    private final String id;
    private final ShopPrincipal viewer;
    private final Endpoint endpoint;
    private final Set<Long> branches;
    private final int audience;
    private final SocketWriter socket;
    private final Events events;
    private final ConnectionCursor cursor;
    private final HoldUntilLive opening = new HoldUntilLive();
    private final Runnable heartbeatTask = this::heartbeat;
    private final Runnable drainedTask = this::drained;
    private final int backlogCapacity;
    private final long stallNanos;
    /** What a slow screen has not been sent yet; null while it keeps up. */
    private Backlog backlog;
    /** When the socket began to be watched for draining (nanos); 0 when it is not. */
    private long drainWatchSince;
    private boolean wroteSinceHeartbeat;
    private volatile boolean closed;
    /** Why the stream ended; stays CLIENT_GONE unless the server ended it. */
    private volatile Reason endReason = Reason.CLIENT_GONE;

    /**
     * @param id the stream's lease in the viewer's limit
     * @param socket nothing is written to it before the hub opens the connection, which happens
     *     after the response headers are out
     * @param backlogCapacity messages a slow screen may have waiting, after conflation
     * @param stallTimeout how long a socket with bytes waiting may take none of them
     */
    Connection(String id, ShopPrincipal viewer, Endpoint endpoint, Set<Long> branches, SocketWriter socket,
            int backlogCapacity, Duration stallTimeout, Events events) {
        this.backlogCapacity = backlogCapacity;
        this.stallNanos = stallTimeout.toNanos();
        this.id = id;
        this.viewer = viewer;
        this.endpoint = endpoint;
        this.branches = Set.copyOf(branches);
        this.audience = Visibility.audience(endpoint, viewer.role().isAdmin());
        this.cursor = new ConnectionCursor(this.branches);
        this.socket = socket;
        this.events = events;
    }

    Executor loop() {
        return socket.loop();
    }

    public String id() {
        return id;
    }

    public ShopPrincipal viewer() {
        return viewer;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public Set<Long> branches() {
        return branches;
    }

    /**
     * A live event from the hub, on this connection's event loop, with the chunks its loop shares;
     * an event held for later is framed again then.
     *
     * @return whether it was written to the socket now: the hub counts those, and takes their
     *     latency once for the loop (a replayed or held-back event is counted as it is written)
     */
    boolean offer(Deliverable event, LoopChunks chunks) {
        if (closed) {
            return false;
        }
        if (!opening.isLive()) {
            opening.hold(event);
            return false;
        }
        boolean written = deliver(event, chunks) == Delivery.WRITTEN;
        socket.flush();
        return written;
    }

    /**
     * Goes live: the control messages first (a reset, or the first omset figure), then the replay,
     * then what arrived meanwhile. {@code start} sets where the screen stands in each branch.
     */
    void goLive(Map<Long, Long> start, List<SseMessage> control, List<Deliverable> replay) {
        if (!socket.inLoop()) {
            loop().execute(() -> goLive(start, control, replay));
            return;
        }
        if (closed) {
            return;
        }
        start.forEach(cursor::set);
        List<Deliverable> held = opening.goLive();
        try {
            for (SseMessage c : control) {
                if (!write(c.chunk(), 0)) {
                    return;
                }
            }
            for (Deliverable d : replay) {
                if (deliver(d, null) == Delivery.ENDED) {
                    return;
                }
            }
            for (Deliverable d : held) {
                if (deliver(d, null) == Delivery.ENDED) {
                    return;
                }
            }
        } finally {
            socket.flush(); // the whole replay in as few packets as the socket takes
        }
    }

    /** What became of one event on this stream. */
    private enum Delivery {
        WRITTEN,
        /** Not written now: already sent, not of this view, or waiting in the backlog. */
        PASSED,
        /** The stream ended (a gap, a backlog too long, or the socket closed). */
        ENDED
    }

    /**
     * @param chunks the event's shared chunks on this loop for a live event, which the hub counts;
     *     null for a replayed or held event, counted here
     */
    private Delivery deliver(Deliverable d, LoopChunks chunks) {
        ShopEvent e = d.event();
        ConnectionCursor.Step step = cursor.advance(e.branchId(), e.seq());
        if (step == ConnectionCursor.Step.GAP) {
            cutOff(Reason.GAP);
            return Delivery.ENDED;
        }
        if (step != ConnectionCursor.Step.NEXT) {
            return Delivery.PASSED; // already sent (replay and live overlap), or not of this view
        }
        Optional<Visibility.Message> message = Visibility.messageFor(d, endpoint, viewer);
        if (message.isEmpty()) {
            return Delivery.PASSED; // not for this view; the position still moves on
        }
        boolean live = chunks != null;
        long committedAt = e.committedAt().toEpochMilli();
        byte[] bytes = branches.size() != 1
                ? SseFrames.eventChunk(EventCursor.format(cursor.known()), message.get().name(), message.get().data())
                : d.singleBranchChunk(endpoint, viewer.role().isAdmin(), message.get());
        if (live && (backlog != null || !socket.writable())) {
            return holdBack(bytes, committedAt, d.conflationKeys(endpoint)) ? Delivery.PASSED : Delivery.ENDED;
        }
        SocketWriter.Outcome outcome = live && branches.size() == 1 ? socket.write(chunks, audience, bytes)
                : socket.write(bytes);
        return written(outcome, live ? 0 : committedAt) ? Delivery.WRITTEN : Delivery.ENDED;
    }

    /**
     * Keeps a live event for when the socket has room, behind what already waits; its id is set
     * now, so the ids the screen gets still only grow.
     */
    private boolean holdBack(byte[] chunk, long committedAt, List<Conflation.Key> keys) {
        if (backlog == null) {
            backlog = new Backlog(backlogCapacity);
        }
        long skippedBefore = backlog.skipped();
        if (!backlog.add(chunk, committedAt, keys)) {
            cutOff(Reason.SLOW_CONSUMER); // not reading at all, or far too slowly to keep up even so
            return false;
        }
        if (backlog.skipped() != skippedBefore) {
            events.skipped(backlog.skipped() - skippedBefore);
        }
        watchDrain();
        return true;
    }

    private void watchDrain() {
        if (drainWatchSince == 0) {
            drainWatchSince = System.nanoTime();
            socket.whenDrained(drainedTask);
        }
    }

    /** The kernel took everything written before the watch began: send what waits, as far as there is room. */
    private void drained() {
        drainWatchSince = 0;
        if (closed || backlog == null || !socket.isOpen()) {
            return; // a closed socket fails the watch at once: watching again would never end
        }
        for (Backlog.Entry waiting; socket.writable() && (waiting = backlog.poll()) != null; ) {
            if (!write(waiting.chunk, waiting.committedAtMillis)) {
                return;
            }
        }
        if (backlog.isEmpty()) {
            backlog = null;
            socket.flush();
        } else {
            watchDrain(); // flushes
        }
    }

    /**
     * A comment line that keeps proxies from closing an idle stream; a stream that carried anything
     * since the last call is not idle and needs none. Called twice per heartbeat interval, so no
     * stream is silent for longer than that interval.
     */
    public void heartbeat() {
        if (!socket.inLoop()) {
            loop().execute(heartbeatTask);
            return;
        }
        if (closed || !opening.isLive()) {
            return;
        }
        if (drainWatchSince != 0 && System.nanoTime() - drainWatchSince >= stallNanos) {
            cutOff(Reason.SLOW_CONSUMER); // took none of its bytes for the stall timeout
            return;
        }
        if (socket.hasUnsent()) {
            watchDrain(); // a client that stopped reading on a quiet stream is found this way
        }
        if (!wroteSinceHeartbeat && backlog == null) {
            write(HEARTBEAT, 0);
            socket.flush();
        }
        wroteSinceHeartbeat = false;
    }

    /** Which of {@code slices} parts of a heartbeat round this connection belongs to. */
    public int heartbeatSlice(int slices) {
        return Math.floorMod(id.hashCode(), slices);
    }

    /** Sends one last message (e.g. "reconnect elsewhere") and ends the stream. */
    void finish(Reason reason, SseMessage last) {
        if (!socket.inLoop()) {
            loop().execute(() -> finish(reason, last));
            return;
        }
        if (closed) {
            return;
        }
        endReason = reason;
        write(last.chunk(), 0);
        socket.flush();
        closed = true;
        events.finished();
    }

    Reason endReason() {
        return endReason;
    }

    void markClosed() {
        closed = true;
    }

    private boolean write(byte[] chunk, long committedAtMillis) {
        return written(socket.write(chunk), committedAtMillis);
    }

    /**
     * Whether the write went out; when the socket is closed, the client is gone.
     *
     * @param committedAtMillis when the event was committed, for its latency; 0 for a write that is
     *     not an event's, or is counted by the hub
     */
    private boolean written(SocketWriter.Outcome outcome, long committedAtMillis) {
        if (outcome != SocketWriter.Outcome.WRITTEN) {
            return false;
        }
        wroteSinceHeartbeat = true;
        if (committedAtMillis > 0) {
            events.delivered(committedAtMillis);
        }
        return true;
    }

    /** Ends the stream by closing the socket: the screen reconnects with the last id it got. */
    private void cutOff(Reason reason) {
        if (!closed) {
            closed = true;
            endReason = reason;
            socket.close();
        }
    }
}
