package id.optikmelati.testkit;

/**
 * Keeps one core busy beside a cluster under test, as the other work on a production machine
 * would: a spinning thread until closed. Switched on with {@code -Dfaults.cpu-hog=true}.
 */
public final class CpuHog implements AutoCloseable {

    private volatile boolean running = true;
    private final Thread thread;

    private CpuHog() {
        thread = new Thread(() -> {
            long x = 0;
            while (running) {
                x += System.nanoTime() % 7; // work the JIT cannot remove
            }
            if (x == 42) {
                System.out.print("");
            }
        }, "cpu-hog");
        thread.setDaemon(true);
        thread.start();
    }

    /** A hog if {@code -Dfaults.cpu-hog=true}, else nothing. */
    public static AutoCloseable whenAsked() {
        return Boolean.getBoolean("faults.cpu-hog") ? new CpuHog() : () -> { };
    }

    @Override
    public void close() {
        running = false;
    }
}
