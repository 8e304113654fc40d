package id.optikmelati.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.embedded.RedisExecProvider;

/**
 * A real redis-server (7.0.15, the binary shipped in org.signal:embedded-redis) run as a child
 * process we own, so tests can SIGKILL it, restart it empty on the same port, or run it in cluster
 * mode. Persistence is off: a restart is a Redis that lost everything.
 */
public final class RedisProcess implements AutoCloseable {

    private final int port;
    private final List<String> extraArgs;
    private final Path workDir;
    private Process process;

    private RedisProcess(int port, List<String> extraArgs) {
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        try {
            this.workDir = Files.createTempDirectory("optik-redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a standalone Redis on the given loopback port (0 for any free port). */
    public static RedisProcess start(int port, String... extraArgs) {
        RedisProcess redis = new RedisProcess(port == 0 ? FreePorts.find() : port, List.of(extraArgs));
        redis.start();
        return redis;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        FreePorts.requireFree(port, "Redis");
        List<String> cmd = new ArrayList<>(List.of(binary().getAbsolutePath(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--protected-mode", "no", "--dir", workDir.toString()));
        cmd.addAll(extraArgs);
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server on port " + port + ": " + e.getMessage(), e);
        }
        awaitListening(Duration.ofSeconds(10));
    }

    /** SIGKILL: no shutdown, no save; whatever it held is gone. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
            process = null;
        }
    }

    /** A clean stop (SIGTERM). */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            waitFor(process);
            process = null;
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public Path workDir() {
        return workDir;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited at start; see "
                        + workDir.resolve("redis.log") + ": " + tail());
            }
            if (FreePorts.inUse(port)) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server on port " + port + " did not listen within " + timeout);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(workDir.resolve("redis.log"));
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static File binary() {
        try {
            File file = RedisExecProvider.defaultProvider().get();
            if (!file.canExecute() && !file.setExecutable(true)) {
                throw new IllegalStateException("cannot make " + file + " executable");
            }
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract the embedded redis-server binary: " + e.getMessage(), e);
        }
    }

    private static void waitFor(Process p) {
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
