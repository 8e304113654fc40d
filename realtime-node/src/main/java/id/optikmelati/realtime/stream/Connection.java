package id.optikmelati.realtime.stream;

import id.optikmelati.contract.EventCursor;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.contract.ShopPrincipal;
import id.optikmelati.realtime.screen.Deliverable;
import id.optikmelati.realtime.screen.Endpoint;
import id.optikmelati.realtime.screen.Visibility;
import id.optikmelati.realtime.wire.LoopChunks;
import id.optikmelati.realtime.wire.SocketWriter;
import id.optikmelati.realtime.wire.SseFrames;
import id.optikmelati.realtime.wire.SseMessage;
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
    private boolean wroteSinceHeartbeat;
    private volatile boolean closed;
    /** Why the stream ended; stays CLIENT_GONE unless the server ended it. */
    private volatile Reason endReason = Reason.CLIENT_GONE;

    /**
     * @param id the stream's lease in the viewer's limit
     * @param socket nothing is written to it before the hub opens the connection, which happens
     *     after the response headers are out
     */
    Connection(String id, ShopPrincipal viewer, Endpoint endpoint, Set<Long> branches, SocketWriter socket,
            Events events) {
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
     */
    void offer(Deliverable event, LoopChunks chunks) {
        if (closed) {
            return;
        }
        if (!opening.isLive()) {
            opening.hold(event);
            return;
        }
        deliver(event, chunks);
        socket.flush();
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
                if (!deliver(d, null)) {
                    return;
                }
            }
            for (Deliverable d : held) {
                if (!deliver(d, null)) {
                    return;
                }
            }
        } finally {
            socket.flush(); // the whole replay in as few packets as the socket takes
        }
    }

    /** @param chunks the event's shared chunks on this loop; null for a replayed or held event */
    private boolean deliver(Deliverable d, LoopChunks chunks) {
        ShopEvent e = d.event();
        ConnectionCursor.Step step = cursor.advance(e.branchId(), e.seq());
        if (step == ConnectionCursor.Step.GAP) {
            cutOff(Reason.GAP);
            return false;
        }
        if (step != ConnectionCursor.Step.NEXT) {
            return true; // already sent (replay and live overlap), or not of this view
        }
        Optional<Visibility.Message> message = Visibility.messageFor(d, endpoint, viewer);
        if (message.isEmpty()) {
            return true; // not for this view; the position still moves on
        }
        long committedAt = e.committedAt().toEpochMilli();
        if (branches.size() != 1) {
            return write(SseFrames.eventChunk(EventCursor.format(cursor.known()), message.get().name(),
                    message.get().data()), committedAt);
        }
        byte[] bytes = d.singleBranchChunk(endpoint, viewer.role().isAdmin(), message.get());
        return chunks != null ? written(socket.write(chunks, audience, bytes), committedAt)
                : write(bytes, committedAt);
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
        if (!closed && opening.isLive()) {
            if (!wroteSinceHeartbeat) {
                write(HEARTBEAT, 0);
                socket.flush();
            }
            wroteSinceHeartbeat = false;
        }
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

    /** Whether the write went out; a client that lets the socket's queue fill is cut off. */
    private boolean written(SocketWriter.Outcome outcome, long committedAtMillis) {
        if (outcome == SocketWriter.Outcome.OVERFLOW) {
            cutOff(Reason.SLOW_CONSUMER);
        }
        if (outcome != SocketWriter.Outcome.WRITTEN) {
            return false; // cut off, or the socket is closed: the client is gone
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
