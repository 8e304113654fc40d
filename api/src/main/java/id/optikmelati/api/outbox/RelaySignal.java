package id.optikmelati.api.outbox;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Wakes the relay: from a local commit, a NOTIFY from another API node, or Redis coming back. */
@Component
public class RelaySignal {

    private final Semaphore permits = new Semaphore(0);

    public void wake() {
        if (permits.availablePermits() == 0) {
            permits.release();
        }
    }

    /** Waits for a wake-up or the timeout; returns at once if woken since the last call. */
    boolean await(long millis) throws InterruptedException {
        boolean woken = permits.tryAcquire(millis, TimeUnit.MILLISECONDS);
        permits.drainPermits();
        return woken;
    }
}
