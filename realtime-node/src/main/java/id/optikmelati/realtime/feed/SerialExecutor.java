package id.optikmelati.realtime.feed;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in the order given, on whichever thread finds it idle; a thread that
 * gives it a task while another runs one leaves it queued for that one. The hub owns its feeds
 * through this instead of a thread of its own: a live event goes from Redis's I/O thread straight
 * to the event loops, without waiting for another thread to be scheduled on two busy cores. Tasks
 * must not block.
 */
public final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean closed;

    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException("the hub is shut down");
        }
        tasks.add(task);
        // Checked again after letting go: a task added between the last poll and the release
        // would otherwise wait for the next caller.
        while (!tasks.isEmpty() && running.compareAndSet(false, true)) {
            try {
                for (Runnable t; !closed && (t = tasks.poll()) != null; ) {
                    try {
                        t.run();
                    } catch (RuntimeException e) {
                        log.error("hub task failed", e);
                    }
                }
            } finally {
                running.set(false);
            }
            if (closed) {
                tasks.clear();
                return;
            }
        }
    }

    /** Runs nothing more; queued tasks are dropped. */
    public void close() {
        closed = true;
    }
}
