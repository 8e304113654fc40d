package id.optikmelati.bench;

import static id.optikmelati.bench.Bench.*;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ProductType;
import id.optikmelati.load.SseSwarm;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load client's side of a measured window, the same for both servers: one swarm holds every
 * stream, a receiver records each delivery's latency from the event's own timestamp, and a window
 * runs after a warm-up that lasts until the JIT compilers are quiet.
 */
final class Measurement {

    private Measurement() {}

    interface Fanout {
        Window run(int connections, int rate, int seconds, String scenario) throws Exception;
    }

    /** A server on a process that has served no streams yet (restarted if it had). */
    interface FreshServer {
        Fanout start() throws Exception;
    }

    /** One measured window: its printed line, and its latencies for merging with other windows. */
    record Window(Map<String, Object> fields, Histogram latency) {}

    /** With -Dbench.trace=FILE: each measured delivery's send time and latency, for a look at when the tail happens. */
    static final long[] TRACE = System.getProperty("bench.trace") == null ? null : new long[4_000_000];

    /**
     * Receives stock events, measures latency from their timestamp; counts by the reason tag (phase).
     * The warm-up's events take the very same path as the window's, only into another histogram: a
     * branch the warm-up never took would be compiled as never taken, and the window's first events
     * would throw the client's reader back to the interpreter while the JIT compiles it again, inside
     * the window of whichever server is measured.
     */
    static final class Receiver implements SseSwarm.Listener {
        final Histogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
        final Histogram unmeasured = new ConcurrentHistogram(3_600_000_000L, 3);
        /** Events of the current phase; counted from 0 again when the window starts. */
        final AtomicLong measured = new AtomicLong();
        private volatile Histogram recording = unmeasured;
        private volatile char phase = 'w';

        /** From now on, events tagged {@code tag} are the window's. */
        void startWindow(char tag) {
            measured.set(0);
            recording = latency;
            phase = tag;
        }

        char phase() {
            return phase;
        }

        @Override
        public void onMessage(SseSwarm.Client client, String id, String event, String data) {
            int at = data.indexOf("\"reason\":\"");
            if (at < 0) {
                return;
            }
            int t = data.indexOf("\"timestamp\":\"");
            Instant sent = EventCodec.parseInstant(data.substring(t + 13, data.indexOf('"', t + 13)));
            Instant now = Instant.now();
            long micros = Math.max(0, (now.getEpochSecond() - sent.getEpochSecond()) * 1_000_000
                    + (now.getNano() - sent.getNano()) / 1_000);
            if (data.charAt(at + 10) != phase) {
                unmeasured.recordValue(micros); // late from an earlier phase (an overloaded server's backlog)
                return;
            }
            recording.recordValue(micros);
            long n = measured.getAndIncrement();
            if (TRACE != null && n < TRACE.length / 2) {
                TRACE[(int) (2 * n)] = sent.toEpochMilli();
                TRACE[(int) (2 * n + 1)] = micros;
            }
        }
    }

    /** Publishes one event of a branch, tagged with the phase (w: warm-up, a letter of its own per measured window). */
    interface Sender {
        void send(long branch, Instant now, String phase);
    }

    private static final java.util.concurrent.atomic.AtomicInteger WINDOWS = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * With the streams open: idle RSS, a warm-up, then the measured window (latency, deliveries,
     * the server's and the client's CPU), the same for both servers.
     */
    static Window measure(String scenario, String server, long pid, int connections, int rate, int seconds,
            Receiver receiver, long rssBase, Sender sender, boolean serverIsJvm, Map<String, Object> extra) {
        progress(server + " " + scenario + ": " + connections + " streams open, " + rate + " events/s");
        sleep(3000);
        long rssIdle = ProcStats.rssBytes(pid);
        // A max-rate step runs on the process the search's warm-up and earlier steps warmed; its own
        // warm-up only brings it to the step's rate (a long one at an overloading rate would only
        // pile up a backlog).
        boolean step = scenario.equals("maxrate");
        int warmedUp = warmUp(serverIsJvm ? pid : 0, rate, step ? 10 : WARMUP, step ? 10 : WARMUP_MAX,
                (b, now) -> sender.send(b, now, "w"), connections / BRANCHES);
        sleep(1000);
        // Late events of an earlier window (an overloaded server's backlog) carry another letter: not counted.
        char tag = (char) ('a' + WINDOWS.getAndIncrement() % 22); // a..v, never the warm-up's w
        receiver.startWindow(tag);
        progress("  measuring " + seconds + " s");
        double cpu0 = ProcStats.cpuSeconds(pid);
        double client0 = clientCpu();
        double jit0 = jitCpuSeconds(pid);
        double clientJit0 = jitCpuSeconds(CLIENT_PID);
        String tagText = String.valueOf(tag);
        long expected = publish(rate, seconds, (b, now) -> sender.send(b, now, tagText), connections / BRANCHES);
        extra = new LinkedHashMap<>(extra);
        extra.put("warmup_s", warmedUp);
        if (serverIsJvm) {
            // CPU the node's JIT compilers took in the window, from a core the event loops share.
            extra.put("server_jit_cpu_ms_in_window", Math.round((jitCpuSeconds(pid) - jit0) * 1000));
        }
        extra.put("client_jit_cpu_ms_in_window", Math.round((jitCpuSeconds(CLIENT_PID) - clientJit0) * 1000));
        sleep(2000);
        return result(scenario, server, connections, rate, seconds, receiver, expected, ProcStats.cpuSeconds(pid) - cpu0,
                rssIdle, rssBase, clientCpu() - client0, extra);
    }

    /**
     * Publishes the warm-up's events in slices of 5 s: {@code minSeconds} at least, then on until the
     * JIT compilers of the server ({@code jvmPid}, 0 if it is no JVM) and of this client took under
     * 50 ms of CPU in each of the last three slices, or {@code maxSeconds} have passed. A window that
     * starts earlier measures a node still running its per-event path in profiling code and
     * compiling it on the cores the event loops need: not the steady state a node spends its days
     * in. The quiet slices alone are not enough: C2 takes the per-event methods one at a time, tens
     * of seconds apart. Returns the seconds it took.
     */
    static int warmUp(long jvmPid, int rate, int minSeconds, int maxSeconds, java.util.function.BiConsumer<Long, Instant> send,
            int connectionsPerBranch) {
        java.util.function.DoubleSupplier compilers = () -> jitCpuSeconds(CLIENT_PID) + (jvmPid > 0 ? jitCpuSeconds(jvmPid) : 0);
        int seconds = 0;
        int quietSlices = 0;
        while (seconds < minSeconds || (quietSlices < 3 && seconds < maxSeconds)) {
            double before = compilers.getAsDouble();
            publish(rate, 5, send, connectionsPerBranch);
            seconds += 5;
            double jit = compilers.getAsDouble() - before;
            quietSlices = jit < 0.05 ? quietSlices + 1 : 0;
            if (seconds % 30 == 0) {
                progress("  warm-up " + seconds + " s (at least " + minSeconds + ", at most " + maxSeconds
                        + "), JIT " + Math.round(jit * 1000) + " ms of CPU in the last 5 s");
            }
        }
        return seconds;
    }

    static String stockEvent(long branch, Instant now, String phase) {
        Payloads.StockUpdate u = Payloads.StockUpdate.of(ProductType.FRAME, 1000 + branch, "Frame Uji Beban", "FR-BENCH",
                branch, "Cabang " + branch, 20, 19);
        return EventCodec.toJson(Payloads.StockChanged.of(now, List.of(u), phase));
    }

    static Window result(String scenario, String server, int connections, int rate, int seconds,
            Receiver receiver, long expected, double serverCpu, long rssIdle, long rssBase, double clientCpu,
            Map<String, Object> extra) {
        Histogram h = receiver.latency;
        long received = receiver.measured.get();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", scenario);
        r.put("server", server);
        r.put("connections", connections);
        r.put("branches", BRANCHES);
        r.put("events_per_s", rate);
        r.put("seconds", seconds);
        r.put("deliveries_expected", expected);
        r.put("deliveries_received", received);
        r.put("lost", expected - received);
        r.put("deliveries_per_s", Math.round(received / (double) seconds));
        r.put("p50_ms", h.getValueAtPercentile(50) / 1000.0);
        r.put("p90_ms", h.getValueAtPercentile(90) / 1000.0);
        r.put("p99_ms", h.getValueAtPercentile(99) / 1000.0);
        r.put("p999_ms", h.getValueAtPercentile(99.9) / 1000.0);
        r.put("max_ms", h.getMaxValue() / 1000.0);
        r.put("server_cpu_s", round(serverCpu));
        r.put("server_cpu_s_per_100k_deliveries", received == 0 ? null : round(serverCpu / received * 100_000));
        r.put("deliveries_per_server_cpu_s", serverCpu == 0 ? null : Math.round(received / serverCpu));
        r.put("server_rss_mib", round(rssIdle / 1048576.0));
        r.put("rss_per_connection_kib", round((rssIdle - rssBase) / 1024.0 / connections));
        r.put("client_cpu_s", round(clientCpu));
        r.putAll(extra);
        line(r);
        if (TRACE != null) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < Math.min(received, TRACE.length / 2); k++) {
                sb.append(TRACE[2 * k]).append(' ').append(TRACE[2 * k + 1]).append('\n');
            }
            try {
                Files.writeString(Path.of(System.getProperty("bench.trace") + "-" + server + "-" + connections + "-" + receiver.phase()), sb);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return new Window(r, h.copy());
    }

    /** CPU seconds of a JVM's JIT compiler threads (C1 and C2). */
    static double jitCpuSeconds(long pid) {
        return ProcStats.threadCpuSeconds(pid, "C[12] CompilerThre");
    }

    static double clientCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /**
     * Opens {@code connections} streams 500 at a time, each batch live before the next: 10,000 SYNs
     * at once overflow a server's listen backlog, and the client's SYN retries back off past the wait
     * (why some earlier runs could not open NchanServer's 10,000).
     *
     * @param open opens {@code n} streams starting at index {@code from}
     */
    static void openInBatches(int connections, java.util.function.BiConsumer<Integer, Integer> open,
            java.util.function.LongSupplier live) {
        for (int opened = 0; opened < connections; opened += 500) {
            int n = Math.min(500, connections - opened);
            open.accept(opened, n);
            int target = opened + n;
            await("connections", 120, () -> live.getAsLong() >= target);
        }
    }

    /**
     * The fan-out's load client, the same for both servers: one swarm (one selector thread) holds
     * every stream, and stream i watches branch {@code i % BRANCHES + 1} on the path {@code pathOf}
     * gives it. One thread for both, so neither server's deliveries are read in parallel and the
     * other's one after another.
     */
    static SseSwarm openFanout(int port, int connections, java.util.function.LongFunction<String> pathOf,
            java.util.function.IntFunction<String> tokenOf, SseSwarm.Listener receiver) {
        SseSwarm swarm = new SseSwarm(List.of(new InetSocketAddress("127.0.0.1", port)), pathOf.apply(1), false, receiver);
        try {
            openInBatches(connections, (from, n) -> {
                for (int i = from; i < from + n; i++) {
                    int index = i;
                    swarm.open(pathOf.apply(i % BRANCHES + 1), 1, k -> tokenOf.apply(index), null);
                }
            }, swarm::liveCount);
            return swarm;
        } catch (RuntimeException e) {
            swarm.close();
            throw e;
        }
    }

    /** Publishes {@code rate} events a second for {@code seconds}, round robin over branches; returns deliveries expected. */
    static long publish(int rate, int seconds, java.util.function.BiConsumer<Long, Instant> send,
            int connectionsPerBranch) {
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            send.accept(i % BRANCHES + 1, Instant.now());
        }
        return total * connectionsPerBranch;
    }
}
