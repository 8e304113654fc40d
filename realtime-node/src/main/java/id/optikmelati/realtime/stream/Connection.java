package id.optikmelati.realtime.stream;

import id.optikmelati.contract.EventCursor;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.contract.ShopPrincipal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.codec.ServerSentEvent;
import reactor.netty.NettyPipeline;

/**
 * One screen's stream. Holds where the client stands in each branch of its view (the cursor) and
 * writes its frames straight to the client's socket: no per-connection reactive pipeline, so a
 * delivery costs one buffer write and an idle stream holds little more than its socket.
 *
 * <p>Confined to the socket's event loop: every method that writes runs there (calls from other
 * threads hop over), so the replay, the held live events and later live events go out in the order
 * they were decided, each at most once and in seq order per branch. Until its replay is ready, live
 * events wait in {@code pending}.
 */
public final class Connection {

    /** Why a stream ended; a label of the disconnect metric. */
    public enum Reason {
        CLIENT_GONE, SLOW_CONSUMER, TOKEN_EXPIRED, SHUTDOWN, GAP, UNAVAILABLE
    }

    /** What the connection tells its owner. */
    interface Events {
        /** An event's frame was written; {@code committedAtMillis} is when the API committed it. */
        void delivered(long committedAtMillis);

        /** The stream ended cleanly (its last message is written): end the HTTP response. */
        void finished();
    }

    /** Framed once; only idle streams get it, so each write just wraps these bytes. */
    private static final byte[] HEARTBEAT = SseFrames.commentChunk("heartbeat");

    private final String id = UUID.randomUUID().toString();
    private final ShopPrincipal viewer;
    private final Endpoint endpoint;
    private final Set<Long> branches;
    private final int sendBuffer;
    private final Channel channel;
    /** Where chunks enter the pipeline: below the HTTP encoder, so they go out as they are. */
    private final ChannelHandlerContext pastEncoder;
    private final Events events;
    private final Positions positions;
    private List<Visibility.Deliverable> pending = new ArrayList<>(0);
    private boolean live;
    private boolean wroteSinceHeartbeat;
    private boolean unflushed;
    private final Runnable heartbeatTask = this::heartbeat;
    private volatile boolean closed;
    /** Why the stream ended; stays CLIENT_GONE unless the server ended it. */
    private volatile Reason endReason = Reason.CLIENT_GONE;

    /**
     * @param sendBuffer frames that may wait unsent before the client counts as too slow and is cut off
     * @param channel the client's HTTP/1.1 socket; nothing is written to it before the hub opens
     *     the connection, which happens after the response headers (chunked transfer) are out
     */
    Connection(ShopPrincipal viewer, Endpoint endpoint, Set<Long> branches, int sendBuffer, Channel channel,
            Events events) {
        this.viewer = viewer;
        this.endpoint = endpoint;
        this.branches = Set.copyOf(branches);
        this.positions = new Positions(this.branches);
        this.sendBuffer = sendBuffer;
        this.channel = channel;
        this.pastEncoder = channel.pipeline().context(NettyPipeline.HttpCodec);
        this.events = events;
    }

    EventLoop loop() {
        return channel.eventLoop();
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
     * A live event from the hub (on this connection's event loop), with its chunks for this loop;
     * an event held for later is framed again then.
     */
    void offer(Visibility.Deliverable event, LoopChunks chunks) {
        if (closed) {
            return;
        }
        if (!live) {
            pending.add(event);
            return;
        }
        deliver(event, chunks);
        flush();
    }

    /** Sends what was written since the last flush, in one system call. */
    private void flush() {
        if (unflushed) {
            unflushed = false;
            pastEncoder.flush();
        }
    }

    /**
     * Goes live: the control messages first (a reset, or the first omset figure), then the replay,
     * then what arrived meanwhile. {@code start} sets where the client stands in each branch.
     */
    void goLive(Map<Long, Long> start, List<ServerSentEvent<String>> control, List<Visibility.Deliverable> replay) {
        if (!loop().inEventLoop()) {
            loop().execute(() -> goLive(start, control, replay));
            return;
        }
        if (closed) {
            return;
        }
        start.forEach(positions::set);
        try {
            for (ServerSentEvent<String> c : control) {
                if (!write(Unpooled.wrappedBuffer(SseFrames.controlChunk(c)), 0)) {
                    return;
                }
            }
            for (Visibility.Deliverable d : replay) {
                if (!deliver(d, null)) {
                    return;
                }
            }
            for (Visibility.Deliverable d : pending) {
                if (!deliver(d, null)) {
                    return;
                }
            }
            pending = List.of();
            live = true;
        } finally {
            flush(); // the whole replay in as few packets as the socket takes
        }
    }

    /** @param chunks the event's shared chunks on this loop; null for a replayed or held event */
    private boolean deliver(Visibility.Deliverable d, LoopChunks chunks) {
        ShopEvent e = d.event();
        long at = positions.get(e.branchId());
        boolean known = at != Positions.UNKNOWN;
        if (known && e.seq() <= at) {
            return true; // already delivered (replay and live overlap): at most once
        }
        if (known && e.seq() > at + 1) {
            // Events between are missing and could not be filled: end the stream; the client
            // reconnects with its id and gets the history, or a reset if it is really gone.
            cutOff(Reason.GAP);
            return false;
        }
        positions.set(e.branchId(), e.seq());
        Optional<Visibility.Message> message = Visibility.messageFor(d, endpoint, viewer);
        if (message.isEmpty()) {
            return true; // not for this view; the position still moves on
        }
        ByteBuf chunk;
        if (branches.size() != 1) {
            chunk = Unpooled.wrappedBuffer(SseFrames.eventChunk(
                    EventCursor.format(positions.known()), message.get().name(), message.get().data()));
        } else if (chunks != null) {
            chunk = chunks.forSocket(endpoint, viewer.role().isAdmin(), message.get());
        } else {
            chunk = Unpooled.wrappedBuffer(d.singleBranchChunk(endpoint, viewer.role().isAdmin(), message.get()));
        }
        return write(chunk, e.committedAt().toEpochMilli());
    }

    /**
     * A comment line that keeps proxies from closing an idle stream; a stream that carried anything
     * since the last call is not idle and needs none. Called twice per heartbeat interval, so no
     * stream is silent for longer than that interval.
     */
    public void heartbeat() {
        if (!loop().inEventLoop()) {
            loop().execute(heartbeatTask);
            return;
        }
        if (!closed && live) {
            if (!wroteSinceHeartbeat) {
                write(Unpooled.wrappedBuffer(HEARTBEAT), 0);
                flush();
            }
            wroteSinceHeartbeat = false;
        }
    }

    /** Which of {@code slices} parts of a heartbeat round this connection belongs to. */
    public int heartbeatSlice(int slices) {
        return Math.floorMod(id.hashCode(), slices);
    }

    /** Sends one last message (e.g. "reconnect elsewhere") and ends the stream. */
    void finish(Reason reason, ServerSentEvent<String> last) {
        if (!loop().inEventLoop()) {
            loop().execute(() -> finish(reason, last));
            return;
        }
        if (closed) {
            return;
        }
        endReason = reason;
        write(Unpooled.wrappedBuffer(SseFrames.controlChunk(last)), 0);
        flush();
        closed = true;
        events.finished();
    }

    Reason endReason() {
        return endReason;
    }

    void markClosed() {
        closed = true;
    }

    /**
     * Writes one chunk, as it is, past the HTTP encoder (the response's headers announced chunked
     * transfer), to be sent on the next {@link #flush}; a client that lets {@code sendBuffer} of
     * them pile up unsent is cut off. The chunk is the socket's to release from here on, written or not.
     */
    private boolean write(ByteBuf chunk, long committedAtMillis) {
        ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
        if (queue == null) {
            chunk.release();
            return false; // the socket is closed: the client is gone
        }
        if (queue.size() >= sendBuffer) { // each chunk is one entry there until the kernel has it
            chunk.release();
            cutOff(Reason.SLOW_CONSUMER);
            return false;
        }
        pastEncoder.write(chunk, pastEncoder.voidPromise());
        unflushed = true;
        wroteSinceHeartbeat = true;
        if (committedAtMillis > 0) {
            events.delivered(committedAtMillis);
        }
        return true;
    }

    /**
     * Ends the stream by closing the socket, queued frames and all: the client sees the stream
     * break and reconnects with the last id it got.
     */
    private void cutOff(Reason reason) {
        if (!closed) {
            closed = true;
            endReason = reason;
            channel.close();
        }
    }

    /**
     * Where the client stands in each branch of its view (a fixed set), kept as primitives: it
     * moves on every delivery, and a boxed seq per delivery was most of the node's garbage.
     */
    private static final class Positions {
        static final long UNKNOWN = Long.MIN_VALUE;
        private final long[] branchIds;
        private final long[] seqs;

        Positions(Set<Long> branches) {
            this.branchIds = branches.stream().mapToLong(Long::longValue).sorted().toArray();
            this.seqs = new long[branchIds.length];
            Arrays.fill(seqs, UNKNOWN);
        }

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

    static Duration jittered(Duration base, Duration jitter) {
        long extra = jitter.isZero() ? 0 : ThreadLocalRandom.current().nextLong(jitter.toMillis() + 1);
        return base.plusMillis(extra);
    }
}
