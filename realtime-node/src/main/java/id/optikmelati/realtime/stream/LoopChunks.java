package id.optikmelati.realtime.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * One live event's chunks for the connections of one event loop. Each audience's chunk is copied
 * off-heap once, into pooled memory; every socket gets a retained duplicate of it, which Netty
 * recycles once the kernel has the bytes, so a delivery allocates nothing. The loop releases its
 * own reference when it has offered the event to all its connections; a chunk still queued on a
 * slow socket lives on through that socket's duplicate.
 */
final class LoopChunks implements AutoCloseable {

    private final Visibility.Deliverable event;
    private final ByteBuf[] chunks = new ByteBuf[Visibility.AUDIENCES];

    LoopChunks(Visibility.Deliverable event) {
        this.event = event;
    }

    /** The chunk for a single-branch viewer of this audience, for one socket. */
    ByteBuf forSocket(Endpoint endpoint, boolean admin, Visibility.Message message) {
        int slot = Visibility.audience(endpoint, admin);
        ByteBuf chunk = chunks[slot];
        if (chunk == null) {
            byte[] bytes = event.singleBranchChunk(endpoint, admin, message);
            chunk = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length, bytes.length).writeBytes(bytes);
            chunks[slot] = chunk;
        }
        return chunk.retainedDuplicate();
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
