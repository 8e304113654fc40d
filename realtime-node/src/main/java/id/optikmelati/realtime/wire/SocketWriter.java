package id.optikmelati.realtime.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.util.concurrent.Executor;
import reactor.netty.NettyPipeline;

/**
 * Writes one stream's HTTP/1.1 chunks straight to its socket, below the HTTP encoder: no
 * per-connection reactive pipeline, so a delivery costs one buffer write and an idle stream holds
 * little more than its socket. The one place that reaches into Netty's channel internals.
 *
 * <p>Use it on the socket's event loop only ({@link #loop()}): writes are queued there and go out
 * together on {@link #flush()}. A write is never refused while the socket is open; whoever writes
 * asks {@link #writable()} first and holds back what a slow client has no room for.
 *
 * <p>A live event's shared chunk goes straight into the kernel's send buffer on epoll when nothing
 * of the stream waits in Netty's queue: one system call, and no duplicate, queue entry or pipeline
 * pass per delivery, which were most of the node's own CPU per delivery. What the kernel does not
 * take waits in Netty's queue like any other write, so the bytes still go out in order.
 */
public final class SocketWriter {

    /** What became of a write. */
    public enum Outcome {
        WRITTEN,
        /** The socket is closed: the client is gone. */
        GONE
    }

    private final Channel channel;
    /** Where chunks enter the pipeline: below the HTTP encoder, so they go out as they are. */
    private final ChannelHandlerContext pastEncoder;
    /** The socket itself, for a live chunk sent at once; null on a transport other than epoll. */
    private final Socket direct;
    private boolean unflushed;

    /**
     * @param channel the client's HTTP/1.1 socket, whose response headers (chunked transfer) are out
     *     before anything is written here
     * @param behindAfter bytes waiting unsent (beyond the kernel's buffer) from which the socket is
     *     not {@link #writable()}; it is again once half of them went out
     */
    public SocketWriter(Channel channel, int behindAfter) {
        this.channel = channel;
        this.pastEncoder = channel.pipeline().context(NettyPipeline.HttpCodec);
        this.direct = channel instanceof EpollSocketChannel epoll && epoll.fd() instanceof Socket s ? s : null;
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(behindAfter / 2, behindAfter));
    }

    /** The socket's event loop: every call here runs on it. */
    public Executor loop() {
        return channel.eventLoop();
    }

    public boolean inLoop() {
        return channel.eventLoop().inEventLoop();
    }

    /** A chunk of this stream's own (a replayed event, a control message). */
    public Outcome write(byte[] chunk) {
        return write(Unpooled.wrappedBuffer(chunk));
    }

    /** A live event's chunk that other sockets of this loop share ({@code bytes}: the slot's wire bytes). */
    public Outcome write(LoopChunks chunks, int slot, byte[] bytes) {
        ByteBuf shared = chunks.chunk(slot, bytes);
        ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
        if (queue == null) {
            return Outcome.GONE;
        }
        int sent = 0;
        if (direct != null && !unflushed && queue.isEmpty() && queue.totalPendingWriteBytes() == 0
                && shared.hasMemoryAddress()) {
            sent = sendNow(shared);
            if (sent == shared.readableBytes()) {
                return Outcome.WRITTEN;
            }
        }
        // The rest (all of it when the queue holds something) waits its turn, on a reference of its own.
        return write(shared.retainedSlice(shared.readerIndex() + sent, shared.readableBytes() - sent));
    }

    /**
     * How many of the chunk's bytes the kernel took at once: all of them unless its send buffer is
     * full (a slow client), none on an error, which Netty's own write of the chunk then meets and
     * closes the socket for.
     */
    private int sendNow(ByteBuf chunk) {
        try {
            return Math.max(0, direct.sendAddress(chunk.memoryAddress(), chunk.readerIndex(), chunk.writerIndex()));
        } catch (IOException e) {
            return 0;
        }
    }

    /** The chunk is the socket's to release from here on, written or not. */
    private Outcome write(ByteBuf chunk) {
        ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
        if (queue == null) {
            chunk.release();
            return Outcome.GONE;
        }
        pastEncoder.write(chunk, pastEncoder.voidPromise());
        unflushed = true;
        return Outcome.WRITTEN;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Whether the client keeps up: less than {@code behindAfter} bytes wait unsent. */
    public boolean writable() {
        return channel.isWritable();
    }

    /**
     * Runs {@code action} on the loop once everything written so far is in the kernel's hands (at
     * once if the socket closes first: the action then finds it gone). Flushes.
     */
    public void whenDrained(Runnable action) {
        pastEncoder.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(sent -> action.run());
        unflushed = false;
    }

    /** Whether bytes wait unsent beyond what the kernel took: the client has not read them yet. */
    public boolean hasUnsent() {
        ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
        return queue != null && queue.totalPendingWriteBytes() > 0;
    }

    /** Sends what was written since the last flush, in one system call. */
    public void flush() {
        if (unflushed) {
            unflushed = false;
            pastEncoder.flush();
        }
    }

    /**
     * Ends the stream by closing the socket, queued chunks and all: the client sees the stream
     * break and reconnects with the last id it got.
     */
    public void close() {
        channel.close();
    }

    /** Runs {@code action} once the socket is closed, by either side. */
    public void onClose(Runnable action) {
        channel.closeFuture().addListener(closed -> action.run());
    }
}
