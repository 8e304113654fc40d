package id.optikmelati.realtime.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The hub's serial executor: one task at a time, in order, on the callers' own threads. */
class SerialExecutorTest {

    private final SerialExecutor serial = new SerialExecutor();

    /** Plain fields on purpose: only one task at a time, with each seeing the last one's writes. */
    private long count;
    private boolean busy;

    @Test
    void tasksFromManyThreadsNeverOverlapAndAllRun() throws Exception {
        AtomicBoolean overlapped = new AtomicBoolean();
        int threads = 4;
        int each = 50_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread caller = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    serial.execute(() -> {
                        if (busy) {
                            overlapped.set(true);
                        }
                        busy = true;
                        count++;
                        busy = false;
                    });
                }
            });
            caller.start();
            callers.add(caller);
        }
        go.countDown();
        for (Thread caller : callers) {
            caller.join();
        }
        List<Long> seen = new ArrayList<>();
        serial.execute(() -> seen.add(count)); // runs after all of them: every caller has returned
        assertThat(overlapped).isFalse();
        assertThat(seen).containsExactly((long) threads * each);
    }

    @Test
    void aTaskGivenByARunningTaskRunsAfterItNotInsideIt() {
        List<String> order = new ArrayList<>();
        serial.execute(() -> {
            order.add("outer starts");
            serial.execute(() -> order.add("inner"));
            order.add("outer ends");
        });
        serial.execute(() -> order.add("next"));
        assertThat(order).containsExactly("outer starts", "outer ends", "inner", "next");
    }

    @Test
    void aFailingTaskDoesNotStopTheOnesAfterIt() {
        List<Integer> ran = new ArrayList<>();
        serial.execute(() -> {
            serial.execute(() -> {
                throw new IllegalStateException("boom");
            });
            serial.execute(() -> ran.add(2));
            ran.add(1);
        });
        serial.execute(() -> ran.add(3));
        assertThat(ran).containsExactly(1, 2, 3);
    }

    @Test
    void afterCloseNothingMoreIsTaken() {
        serial.close();
        assertThatThrownBy(() -> serial.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }
}
