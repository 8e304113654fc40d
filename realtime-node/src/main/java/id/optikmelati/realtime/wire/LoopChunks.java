package id.optikmelati.realtime.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * One live event's chunks for the connections of one event loop, one slot per audience. Each
 * audience's chunk is copied off-heap once, into pooled memory, and sent from there to every
 * socket ({@link SocketWriter}); a socket that cannot take it at once queues a retained slice of
 * it, which Netty recycles once the kernel has the bytes. The loop releases its own reference when
 * it has offered the event to all its connections; a chunk still queued on a slow socket lives on
 * through that socket's slice.
 */
public final class LoopChunks implements AutoCloseable {

    private final ByteBuf[] chunks;

    public LoopChunks(int slots) {
        this.chunks = new ByteBuf[slots];
    }

    /**
     * The chunk of this slot, the loop's own reference (a socket that keeps it retains it); {@code
     * bytes} are the slot's wire bytes, copied on first use.
     */
    ByteBuf chunk(int slot, byte[] bytes) {
        ByteBuf chunk = chunks[slot];
        if (chunk == null) {
            chunk = untracked(bytes.length).writeBytes(bytes);
            chunks[slot] = chunk;
        }
        return chunk;
    }

    /**
     * A pooled buffer that Netty's leak detector does not follow. It samples one buffer in 128, and
     * every duplicate of a sampled one is followed too, each with two stack traces: a sampled chunk
     * cost hundreds of them, a burst of milliseconds on the loop and a third of the node's garbage.
     * This chunk's life is the try block around one event's hand-over, so the detector has nothing
     * to find; a sampled buffer is given back and another one taken (at the PARANOID level, where every
     * buffer is followed, the last one is kept).
     */
    private static ByteBuf untracked(int size) {
        for (int attempt = 1; ; attempt++) {
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
            if (buf.unwrap() == null || attempt == 3) { // a leak-aware buffer wraps the pooled one
                return buf;
            }
            buf.release();
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < chunks.length; i++) {
            if (chunks[i] != null) {
                chunks[i].release();
                chunks[i] = null;
            }
        }
    }
}
