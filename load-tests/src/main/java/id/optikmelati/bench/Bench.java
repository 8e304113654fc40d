package id.optikmelati.bench;

import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.EventCursor;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.contract.Role;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.load.SseSwarm;
import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.FreePorts;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.PostgresServer;
import id.optikmelati.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The benchmark (see load-tests/README.md and BENCHMARKS.md): SSE fan-out on one realtime node
 * against Nchan on the same machine, sale-to-screen end to end, and a reconnect storm. One JSON
 * line per scenario on stdout and in {@code bench.out}.
 *
 * <p>System properties: {@code bench.scenarios} (fanout,maxrate,nchan,e2e,storm), {@code
 * bench.connections} (1000,5000,10000), {@code bench.branches} (10), {@code bench.rate} (100 events/s),
 * {@code bench.seconds} (20 per measured window), {@code bench.rounds} (3: the servers take turns this
 * many times per size up to 5,000 streams), {@code bench.first} (ours or nchan), {@code bench.java} (the
 * JDK that runs the nodes), {@code bench.out} (load-tests/target/bench-results.jsonl).
 */
public final class Bench {

    static final Path ROOT = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    static final String SECRET = "optik-melati-demo-secret-benchmark-0123456789abcdef";
    static final int BRANCHES = Integer.getInteger("bench.branches", 10);
    static final int RATE = Integer.getInteger("bench.rate", 100);
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    /**
     * Seconds of events at least before each measured window. Every window runs on a fresh process,
     * so each pays this. At 100 events/s a method run once per event (Lettuce's reply decoding, the
     * event's JSON) is compiled by C2 only after ~15,000 calls, two and a half minutes; see
     * {@link #warmUp} for when the warm-up goes on longer.
     */
    static final int WARMUP = Integer.getInteger("bench.warmup", 150);
    /** Seconds of warm-up at most, while the JIT compilers are still busy. */
    static final int WARMUP_MAX = Integer.getInteger("bench.warmup.max", 300);
    static final Path JAVA = Path.of(System.getProperty("bench.java", System.getProperty("java.home")), "bin", "java");
    /** This load client's own process, whose JIT time is reported beside the server's. */
    static final long CLIENT_PID = ProcessHandle.current().pid();
    static final Path OUT = Path.of(System.getProperty("bench.out", ROOT.resolve("load-tests/target/bench-results.jsonl").toString()));

    public static void main(String[] args) throws Exception {
        List<String> scenarios = List.of(System.getProperty("bench.scenarios", "fanout,nchan,maxrate,storm,e2e").split(","));
        List<Integer> sizes = new ArrayList<>();
        for (String n : System.getProperty("bench.connections", "1000,5000,10000").split(",")) {
            sizes.add(Integer.parseInt(n.trim()));
        }
        Files.createDirectories(OUT.getParent());
        line(Map.of("scenario", "machine", "cores", Runtime.getRuntime().availableProcessors(),
                "node_java", JAVA.toString(), "client_java", System.getProperty("java.version"),
                "date", Instant.now().toString()));
        boolean nchanFirst = System.getProperty("bench.first", "ours").equals("nchan");
        boolean wantOurs = scenarios.contains("fanout") || scenarios.contains("maxrate") || scenarios.contains("storm");
        try (RedisProcess redis = RedisProcess.start(0);
                Ours ours = wantOurs ? new Ours(redis) : null;
                Nchan nchan = scenarios.contains("nchan") ? new Nchan() : null) {
            if (scenarios.contains("fanout") || nchan != null) {
                for (int n : sizes) {
                    fanoutRounds(n, scenarios.contains("fanout") ? ours : null, nchan, nchanFirst);
                }
            }
            if (scenarios.contains("maxrate")) {
                List<Step> searches = new ArrayList<>();
                searches.add(() -> maxRate(() -> ours.fresh()::fanout, "ours"));
                if (nchan != null) {
                    searches.add(() -> maxRate(() -> nchan.fresh()::fanout, "nchan"));
                }
                if (nchanFirst) {
                    java.util.Collections.reverse(searches);
                }
                for (Step search : searches) {
                    search.run();
                }
            }
            if (scenarios.contains("storm")) {
                ours.storm(Math.min(5000, sizes.get(sizes.size() - 1)));
            }
        }
        if (scenarios.contains("e2e")) {
            EndToEnd.run();
        }
        if (scenarios.contains("reports")) {
            Reports.run();
        }
    }

    interface Step {
        void run() throws Exception;
    }

    interface Fanout {
        Window run(int connections, int rate, int seconds, String scenario) throws Exception;
    }

    /** A server on a process that has served no streams yet (restarted if it had). */
    interface FreshServer {
        Fanout start() throws Exception;
    }

    /** One measured window: its printed line, and its latencies for merging with other windows. */
    record Window(Map<String, Object> fields, Histogram latency) {}

    /** Alternating rounds at each size up to this many streams (see {@link #fanoutRounds}). */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    /**
     * The fan-out at one size, the two servers taking turns: ours then Nchan, then Nchan then ours,
     * and so on, so both are measured under the same drift of a shared machine, neither always
     * first. With both servers, a summary line gives the ratios over all rounds (latencies merged)
     * and round by round. Up to 5,000 streams there are {@code bench.rounds} rounds; larger sizes run
     * once (a round at 10,000 takes minutes, and there the two cores, not either server, are the limit).
     * Every window runs on a freshly started node or nginx (and an emptied Redis for Nchan).
     */
    static void fanoutRounds(int connections, Ours ours, Nchan nchan, boolean nchanFirst) throws Exception {
        // Fresh processes for every window, for both: a long-lived nginx gets slower window after
        // window (after three rounds at 1,000 streams it fell seconds behind at 5,000; its third
        // round at 5,000 was often its worst), which would flatter us. Our node starts cold each
        // time too, and pays for its JIT in every window, not just the first.
        int rounds = connections <= 5000 ? ROUNDS : 1;
        List<Window> mine = new ArrayList<>();
        List<Window> peer = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean peerFirst = nchanFirst != (r % 2 == 1);
            for (boolean peerTurn : peerFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (peerTurn && nchan != null) {
                    peer.add(nchan.fresh().fanout(connections, RATE, SECONDS, "fanout"));
                } else if (!peerTurn && ours != null) {
                    mine.add(ours.fresh().fanout(connections, RATE, SECONDS, "fanout"));
                }
            }
        }
        if (mine.isEmpty() || peer.isEmpty()) {
            return;
        }
        Histogram oursAll = merged(mine);
        Histogram nchanAll = merged(peer);
        List<Double> p99Ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            p99Ratios.add(round(number(mine.get(r), "p99_ms") / number(peer.get(r), "p99_ms")));
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("scenario", "fanout-summary");
        s.put("connections", connections);
        s.put("rounds", rounds);
        s.put("first", nchanFirst ? "nchan" : "ours");
        s.put("ours_p99_ms", oursAll.getValueAtPercentile(99) / 1000.0);
        s.put("nchan_p99_ms", nchanAll.getValueAtPercentile(99) / 1000.0);
        s.put("p99_ours_over_nchan", round(oursAll.getValueAtPercentile(99) / (double) nchanAll.getValueAtPercentile(99)));
        s.put("p99_ours_over_nchan_by_round", p99Ratios);
        s.put("p999_ours_over_nchan", round(oursAll.getValueAtPercentile(99.9) / (double) nchanAll.getValueAtPercentile(99.9)));
        s.put("deliveries_per_cpu_s_ours_over_nchan", round(perCpu(mine) / perCpu(peer)));
        s.put("lost_ours", mine.stream().mapToLong(w -> (Long) w.fields().get("lost")).sum());
        s.put("lost_nchan", peer.stream().mapToLong(w -> (Long) w.fields().get("lost")).sum());
        line(s);
    }

    static Histogram merged(List<Window> windows) {
        Histogram all = new Histogram(3_600_000_000L, 3);
        windows.forEach(w -> all.add(w.latency()));
        return all;
    }

    /** Deliveries per server CPU second over all the windows. */
    static double perCpu(List<Window> windows) {
        double received = windows.stream().mapToDouble(w -> number(w, "deliveries_received")).sum();
        return received / windows.stream().mapToDouble(w -> number(w, "server_cpu_s")).sum();
    }

    static double number(Window w, String field) {
        return ((Number) w.fields().get(field)).doubleValue();
    }

    /**
     * Doubles the event rate at 5,000 connections until p99 passes 100 ms or anything is lost, then
     * halves the gap between the last passing and the first failing rate twice, so the two servers
     * are told apart closer than a factor of two. The search starts on a fresh process, and goes on
     * on a fresh one after every failed step: an nginx once overloaded stays slow for minutes, so
     * every later step on it failed too, and a node would carry a failed step's backlog.
     */
    static void maxRate(FreshServer server, String who) throws Exception {
        Fanout fanout = warmedUp(server);
        int passing = 0;
        int failing = 0;
        double best = 0;
        int bisections = 0;
        for (int rate = 100; rate <= 6400; ) {
            double delivered = steadyRate(fanout, rate);
            if (delivered > 0) {
                passing = rate;
                best = delivered;
            } else {
                failing = rate;
            }
            if (failing == 0) {
                rate *= 2;
            } else if (passing > 0 && bisections++ < 2) {
                rate = (passing + failing) / 2;
            } else {
                break;
            }
            if (delivered == 0) {
                fanout = warmedUp(server);
            }
        }
        line(Map.of("scenario", "maxrate-summary", "server", who, "best_deliveries_per_s_p99_under_100ms", best,
                "best_events_per_s", passing, "first_failing_events_per_s", failing));
    }

    /** A fresh process, warmed up at 100 events/s: a cold JVM's first seconds say nothing of its steady rate. */
    static Fanout warmedUp(FreshServer server) throws Exception {
        Fanout fanout = server.start();
        fanout.run(5000, 100, 5, "maxrate-warmup");
        sleep(2000);
        return fanout;
    }

    /** Deliveries per second at this event rate if p99 stayed under 100 ms with nothing lost, else 0. */
    static double steadyRate(Fanout fanout, int rate) throws Exception {
        Map<String, Object> r = fanout.run(5000, rate, 10, "maxrate").fields();
        sleep(5000); // an overloaded server drains what it still holds for the closed streams
        boolean ok = ((Number) r.get("p99_ms")).doubleValue() < 100 && r.get("lost").equals(0L);
        return ok ? ((Number) r.get("deliveries_per_s")).doubleValue() : 0;
    }

    // ---- measurement shared by both servers ----

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
            quietSlices = compilers.getAsDouble() - before < 0.05 ? quietSlices + 1 : 0;
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

    /** A node of ours from its compiled classes (bench.sh builds them) on the benchmark's JDK. */
    static NodeProcess startNode(String module, String mainClass, int port, List<String> jvm, List<String> args)
            throws IOException {
        String classpath = ROOT.resolve(module + "/target/classes") + ":"
                + Files.readString(ROOT.resolve(module + "/target/runtime.classpath")).trim();
        return NodeProcess.startClasspath(module, JAVA, nodeJvm(jvm), classpath, mainClass, port, args);
    }

    /**
     * The node's JVM options, plus any in {@code bench.node.jvm} (e.g. a JFR recording), space
     * separated; a collector named there replaces the default one.
     */
    static List<String> nodeJvm(List<String> base) {
        List<String> all = new ArrayList<>(base);
        String extra = System.getProperty("bench.node.jvm", "").trim();
        if (!extra.isEmpty()) {
            List<String> options = List.of(extra.split("\\s+"));
            if (options.stream().anyMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
                all.removeIf(o -> o.matches("-XX:\\+Use\\w+GC")); // the collector given replaces ours
            }
            all.addAll(options);
        }
        return all;
    }

    /** CPU seconds of a JVM's JIT compiler threads (C1 and C2). */
    static double jitCpuSeconds(long pid) {
        return ProcStats.threadCpuSeconds(pid, "C[12] CompilerThre");
    }

    static double clientCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    static synchronized void line(Map<String, ?> fields) {
        String json = EventCodec.toJson(fields);
        System.out.println(json);
        try {
            Files.writeString(OUT, json + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens {@code connections} streams 500 at a time, each batch live before the next: 10,000 SYNs
     * at once overflow a server's listen backlog, and the client's SYN retries back off past the wait
     * (why some earlier runs could not open Nchan's 10,000).
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
            java.util.function.IntFunction<String> tokenOf, Receiver receiver) {
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

    static void await(String what, long seconds, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            sleep(50);
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

    // ---- our realtime node ----

    static final class Ours implements AutoCloseable {
        static final List<String> NODE_JVM = List.of("-XX:+UseSerialGC", "-Xms128m", "-Xmx1g", "-Xss256k");
        final RedisProcess redis;
        final RedisClient client;
        final RedisCommands<String, String> sync;
        final String publishSha;
        NodeProcess node;
        /** Whether the node has served streams since it started (a fresh one needs no restart). */
        boolean used;
        final AccessTokens tokens = new AccessTokens(SECRET, Clock.systemUTC());
        final Map<Long, Long> seqs = new ConcurrentHashMap<>();
        /** One client for the node's metrics, polled while streams open and close. */
        final HttpClient metricsHttp = HttpClient.newHttpClient();

        Ours(RedisProcess redis) throws IOException {
            this.redis = redis;
            this.client = RedisClient.create(redis.uri());
            this.sync = client.connect().sync();
            this.publishSha = sync.scriptLoad(Files.readString(ROOT.resolve("api/src/main/resources/redis/publish.lua")));
            for (long b = 1; b <= BRANCHES; b++) {
                sync.hset(RedisKeys.branches(), Long.toString(b), "Cabang " + b);
                sync.hset(RedisKeys.snapshot(b), "seq", "0");
                seqs.put(b, 0L);
            }
            node = start();
        }

        private NodeProcess start() throws IOException {
            return startNode("realtime-node", "id.optikmelati.realtime.RealtimeApplication", FreePorts.find(),
                    NODE_JVM, List.of(
                            "--spring.profiles.active=demo",
                            "--optik.realtime.redis-url=" + redis.uri(),
                            "--optik.realtime.jwt-secret=" + SECRET,
                            "--optik.realtime.connections-per-user=1000000",
                            "--optik.realtime.connects-per-ip-per-minute=100000000",
                            "--optik.realtime.max-connections=100000",
                            "--logging.level.root=warn"));
        }

        /** A node that has served no streams yet: restarted on the same Redis if it has (the seqs go on). */
        Ours fresh() throws IOException {
            if (used) {
                node.stop();
                node = start();
                used = false;
            }
            return this;
        }

        void send(long branch, Instant now, String phase) {
            long seq = seqs.merge(branch, 1L, Long::sum);
            String data = stockEvent(branch, now, phase);
            String envelope = EventCodec.encode(new ShopEvent(branch, seq, EventType.STOCK_CHANGED, now, data));
            sync.evalsha(publishSha, ScriptOutputType.INTEGER,
                    new String[] {RedisKeys.stream(branch), RedisKeys.snapshot(branch), RedisKeys.channel(branch)},
                    "10000", "PUBLISH", "1", Long.toString(seq), Long.toString(now.toEpochMilli()), envelope, "0");
        }

        String token(int i) {
            long branch = i % BRANCHES + 1;
            return tokens.issue(100_000 + i, "layar" + i, Role.KASIR, branch, Duration.ofHours(2));
        }

        Window fanout(int connections, int rate, int seconds, String scenario) throws Exception {
            used = true;
            Receiver receiver = new Receiver();
            long rssBase = ProcStats.rssBytes(node.pid());
            try (SseSwarm swarm = openFanout(node.port(), connections, b -> "/realtime/stock-updates", this::token,
                    receiver)) {
                return measure(scenario, "ours", node.pid(), connections, rate, seconds, receiver, rssBase, this::send,
                        true, Map.of("node_jvm", String.join(" ", nodeJvm(NODE_JVM))));
            } finally {
                await("node to drop the connections", 60, () -> openStreams() == 0);
            }
        }

        /** The node's open streams, from its Prometheus endpoint; -1 if the node does not answer. */
        long openStreams() {
            try {
                String metrics = metricsHttp.send(HttpRequest.newBuilder(URI.create(node.url("/actuator/prometheus")))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                long sum = 0;
                for (String l : metrics.split("\n")) {
                    if (l.startsWith("optik_realtime_connections{")) {
                        sum += (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                    }
                }
                return sum;
            } catch (Exception e) {
                return -1;
            }
        }

        /**
         * {@code connections} screens drop at once while events keep coming, then all come back at
         * once with their Last-Event-ID: time until all are live and caught up; gaps and duplicates.
         */
        void storm(int connections) throws Exception {
            used = true;
            Map<Integer, long[]> seen = new ConcurrentHashMap<>(); // client -> {last seq, gaps, duplicates}
            SseSwarm.Listener check = (c, id, event, data) -> {
                if (id == null || !event.equals("stock")) {
                    return;
                }
                long branch = c.index % BRANCHES + 1;
                long seq = EventCursor.parse(id).orElseThrow().seqOf(branch).orElse(0L);
                long[] s = seen.computeIfAbsent(c.index, k -> new long[] {-1, 0, 0});
                if (s[0] >= 0 && seq <= s[0]) {
                    s[2]++;
                } else if (s[0] >= 0 && seq > s[0] + 1) {
                    s[1]++;
                }
                s[0] = Math.max(s[0], seq);
            };
            SseSwarm first = new SseSwarm(List.of(new InetSocketAddress("127.0.0.1", node.port())), "/realtime/stock-updates",
                    false, check);
            openInBatches(connections, (from, n) -> first.open(n, this::token, null), first::liveCount);
            publish(RATE, 2, (b, now) -> send(b, now, "w"), 0);
            sleep(1000);
            Map<Long, String> lastIds = new LinkedHashMap<>();
            for (SseSwarm.Client c : first.clients()) {
                lastIds.putIfAbsent(c.index % (long) BRANCHES + 1, c.lastId());
            }
            first.close();
            await("node to drop the connections", 60, () -> openStreams() == 0);
            publish(RATE, 3, (b, now) -> send(b, now, "w"), 0); // missed while away
            Map<Long, Long> end = new LinkedHashMap<>(seqs);
            seen.clear();
            long start = System.nanoTime();
            SseSwarm second = new SseSwarm(List.of(new InetSocketAddress("127.0.0.1", node.port())), "/realtime/stock-updates",
                    false, check);
            // each screen comes back with the id it last saw (the screens of one branch saw the same)
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                order.add(i);
            }
            for (int i : order) {
                long branch = i % BRANCHES + 1;
                int index = i;
                second.open(1, k -> token(index), lastIds.get(branch));
            }
            await("all caught up", 300, () -> {
                for (int i = 0; i < connections; i++) {
                    long[] s = seen.get(i);
                    long branch = i % BRANCHES + 1;
                    if (s == null || s[0] < end.get(branch)) {
                        return false;
                    }
                }
                return true;
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            long gaps = seen.values().stream().mapToLong(s -> s[1]).sum();
            long duplicates = seen.values().stream().mapToLong(s -> s[2]).sum();
            second.close();
            await("node to drop the connections", 60, () -> openStreams() == 0);
            line(Map.of("scenario", "storm", "server", "ours", "connections", connections, "branches", BRANCHES,
                    "missed_events_per_branch", end.values().iterator().next() - Long.parseLong(
                            EventCursor.parse(lastIds.get(1L)).orElseThrow().seqOf(1).orElseThrow().toString()),
                    "seconds_until_all_caught_up", round(seconds), "gaps", gaps, "duplicates", duplicates));
        }

        @Override
        public void close() {
            node.stop();
            client.shutdown();
        }
    }

    // ---- the peer: Nchan (nginx module) with its Redis backend ----

    static final class Nchan implements AutoCloseable {
        /** Its own Redis: nothing of ours in it, and a restart starts from an empty one. */
        final RedisProcess redis = RedisProcess.start(0);
        Process nginx;
        /** Whether this nginx has served streams since it started (a fresh one needs no restart). */
        boolean used;
        final int port;
        final Path prefix;
        final ExecutorService httpThreads = Executors.newFixedThreadPool(4);
        final HttpClient http = HttpClient.newBuilder().executor(httpThreads).build();
        final java.util.concurrent.ThreadPoolExecutor publishers = new java.util.concurrent.ThreadPoolExecutor(
                4, 4, 0, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>());

        Nchan() throws Exception {
            Path module = Path.of("/usr/lib/nginx/modules/ngx_nchan_module.so");
            if (!Files.exists(module)) {
                throw new IllegalStateException("Nchan is not installed: apt-get install nginx libnginx-mod-nchan");
            }
            port = FreePorts.find();
            prefix = Files.createTempDirectory("optik-nchan-");
            Files.createDirectories(prefix.resolve("tmp"));
            Files.writeString(prefix.resolve("nginx.conf"), """
                    load_module %s;
                    worker_processes %d;
                    worker_rlimit_nofile 20000;
                    pid %s/nginx.pid;
                    error_log %s/error.log warn;
                    events { worker_connections 16000; }
                    http {
                      access_log off;
                      client_body_temp_path %s/tmp;
                      upstream redis_server { nchan_redis_server %s; }
                      server {
                        listen 127.0.0.1:%d;
                        location ~ ^/sub/(\\w+)$ {
                          nchan_subscriber eventsource;
                          nchan_channel_id $1;
                          nchan_redis_pass redis_server;
                        }
                        location ~ ^/pub/(\\w+)$ {
                          nchan_publisher;
                          nchan_channel_id $1;
                          nchan_redis_pass redis_server;
                          nchan_message_buffer_length 1000;
                        }
                      }
                    }
                    """.formatted(module, Runtime.getRuntime().availableProcessors(), prefix, prefix, prefix, redis.uri(), port));
            nginx = start();
        }

        /** An nginx that has served no streams yet, on an emptied Redis (an overloaded one stays slow for minutes). */
        Nchan fresh() throws Exception {
            if (!used) {
                return this;
            }
            used = false;
            stop();
            RedisClient client = RedisClient.create(redis.uri());
            try (var c = client.connect()) {
                c.sync().flushall();
            } finally {
                client.shutdown();
            }
            nginx = start();
            return this;
        }

        private Process start() throws IOException {
            Process p = new ProcessBuilder("/usr/sbin/nginx", "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(),
                    "-g", "daemon off; user root;").redirectErrorStream(true).redirectOutput(prefix.resolve("out.log").toFile())
                    .start();
            await("nchan", 20, () -> {
                try (var s = new java.net.Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            return p;
        }

        private void stop() throws InterruptedException {
            nginx.destroy();
            nginx.waitFor();
        }

        void send(long branch, Instant now, String phase) {
            String body = stockEvent(branch, now, phase);
            publishers.execute(() -> {
                try {
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pub/b" + branch))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        Window fanout(int connections, int rate, int seconds, String scenario) throws Exception {
            used = true;
            Receiver receiver = new Receiver();
            long rssBase = ProcStats.rssBytes(nginx.pid());
            try (SseSwarm swarm = openFanout(port, connections, b -> "/sub/b" + b, i -> null, receiver)) {
                return measure(scenario, "nchan", nginx.pid(), connections, rate, seconds, receiver, rssBase, this::send, false,
                        Map.of("note", "nginx " + Runtime.getRuntime().availableProcessors()
                                + " workers; RSS and CPU of master and workers; publish by HTTP POST; Redis backend, its own Redis"));
            } finally {
                // An overloaded Nchan leaves POSTs queued here: let them through before the next window
                // starts, or they would land in it as late (uncounted) events and load it.
                await("queued publishes to Nchan", 600,
                        () -> publishers.getQueue().isEmpty() && publishers.getActiveCount() == 0);
                sleep(2000);
            }
        }

        @Override
        public void close() throws Exception {
            stop();
            redis.close();
            publishers.shutdownNow();
            httpThreads.shutdownNow(); // its threads are not daemons: the benchmark would never exit
        }
    }

    // ---- end to end: sale POST to the event on a screen, through the real API on PostgreSQL ----

    static final class EndToEnd {
        static void run() throws Exception {
            Path data = Files.createTempDirectory("optik-bench-pg-");
            try (PostgresServer postgres = PostgresServer.start(0, data); RedisProcess redis = RedisProcess.start(0)) {
                int rtPort = FreePorts.find();
                NodeProcess api = startNode("api", "id.optikmelati.api.ApiApplication", FreePorts.find(),
                        List.of("-XX:+UseSerialGC", "-Xmx1g"), List.of(
                                "--spring.profiles.active=demo", "--spring.datasource.url=" + postgres.jdbcUrl(),
                                "--spring.datasource.username=postgres", "--optik.redis.url=" + redis.uri(),
                                "--optik.auth.jwt-secret=" + SECRET, "--optik.auth.login-attempts-per-ip-per-minute=100000",
                                "--logging.level.root=warn"));
                NodeProcess node = startNode("realtime-node", "id.optikmelati.realtime.RealtimeApplication", rtPort,
                        List.of("-XX:+UseSerialGC", "-Xmx1g"), List.of("--spring.profiles.active=demo",
                                "--optik.realtime.redis-url=" + redis.uri(), "--optik.realtime.jwt-secret=" + SECRET,
                                "--optik.realtime.connections-per-user=100000", "--logging.level.root=warn"));
                try {
                    ApiClient shop = new ApiClient("http://127.0.0.1:" + api.port());
                    List<String> kasir = List.of(shop.login("kasir1", "melati-demo"), shop.login("kasir2", "melati-demo"),
                            shop.login("kasir3", "melati-demo"));
                    long[] products = new long[3];
                    for (int b = 0; b < 3; b++) {
                        var list = shop.get("/api/products?type=FRAME", kasir.get(b)).body();
                        long best = -1;
                        int most = -1;
                        for (var p : list) {
                            if (p.get("stock").asInt() > most) {
                                most = p.get("stock").asInt();
                                best = p.get("id").asLong();
                            }
                        }
                        products[b] = best;
                        // plenty of stock for the run
                        shop.post("/api/products/" + best + "/stock-adjustments", shop.login("superadmin", "melati-demo"),
                                Map.of("branchId", b + 1, "delta", 100_000, "reason", "benchmark"));
                    }
                    Map<String, Long> postedAt = new ConcurrentHashMap<>();
                    Histogram saleToScreen = new ConcurrentHistogram(3_600_000_000L, 3);
                    SseSwarm.Listener screens = (c, id, event, body) -> {
                        if (!event.equals("sale")) {
                            return;
                        }
                        int at = body.indexOf("\"customerName\":\"");
                        if (at < 0) {
                            return;
                        }
                        String key = body.substring(at + 16, body.indexOf('"', at + 16));
                        Long t0 = postedAt.get(key);
                        if (t0 != null) {
                            saleToScreen.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
                        }
                    };
                    try (SseSwarm swarm = new SseSwarm(List.of(new InetSocketAddress("127.0.0.1", rtPort)),
                            "/realtime/dashboard", false, screens)) {
                        swarm.open(30, i -> kasir.get(i % 3), null); // ten screens per branch
                        await("screens", 30, () -> swarm.liveCount() == 30);
                        Histogram post = new ConcurrentHistogram(3_600_000_000L, 3);
                        ExecutorService cashiers = Executors.newFixedThreadPool(8);
                        int rate = 50;
                        AtomicLong failed = new AtomicLong();
                        // warm-up (JIT, pools): 10 s of the same load, not measured
                        long warm = rate * 10L;
                        long warmStart = System.nanoTime();
                        for (long i = 0; i < warm; i++) {
                            long wait = warmStart + i * 1_000_000_000L / rate - System.nanoTime();
                            if (wait > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                            int b = (int) (i % 3);
                            cashiers.execute(() -> shop.sell(kasir.get(b), Map.of("paymentType", "UMUM",
                                    "items", List.of(Map.of("productId", products[b], "quantity", 1)))));
                        }
                        sleep(2000);
                        long n = (long) rate * SECONDS;
                        long start = System.nanoTime();
                        for (long i = 0; i < n; i++) {
                            long due = start + i * 1_000_000_000L / rate;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                            int b = (int) (i % 3);
                            String key = "bench-" + i;
                            cashiers.execute(() -> {
                                long t0 = System.nanoTime();
                                postedAt.put(key, t0);
                                var r = shop.sell(kasir.get(b), Map.of("paymentType", "UMUM", "customerName", key,
                                        "items", List.of(Map.of("productId", products[b], "quantity", 1))));
                                post.recordValue((System.nanoTime() - t0) / 1000);
                                if (r.status() != 201) {
                                    failed.incrementAndGet();
                                }
                            });
                        }
                        cashiers.shutdown();
                        cashiers.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
                        sleep(2000);
                        line(ordered("scenario", "e2e-sale-to-screen", "sales_per_s", rate, "seconds", SECONDS,
                                "screens", 30, "failed_sales", failed.get(),
                                "deliveries_received", saleToScreen.getTotalCount(), "deliveries_expected", n * 10,
                                "sale_to_screen_p50_ms", saleToScreen.getValueAtPercentile(50) / 1000.0,
                                "sale_to_screen_p99_ms", saleToScreen.getValueAtPercentile(99) / 1000.0,
                                "sale_to_screen_max_ms", saleToScreen.getMaxValue() / 1000.0,
                                "post_p50_ms", post.getValueAtPercentile(50) / 1000.0,
                                "post_p99_ms", post.getValueAtPercentile(99) / 1000.0));
                    }
                    // closed loop: how many sales a second the API sustains on PostgreSQL
                    Histogram closed = new ConcurrentHistogram(3_600_000_000L, 3);
                    AtomicLong done = new AtomicLong();
                    long until = System.nanoTime() + SECONDS * 1_000_000_000L;
                    ExecutorService loop = Executors.newFixedThreadPool(16);
                    for (int t = 0; t < 16; t++) {
                        int b = t % 3;
                        loop.execute(() -> {
                            while (System.nanoTime() < until) {
                                long t0 = System.nanoTime();
                                var r = shop.sell(kasir.get(b), Map.of("paymentType", "BPJS",
                                        "items", List.of(Map.of("productId", products[b], "quantity", 1))));
                                if (r.status() == 201) {
                                    closed.recordValue((System.nanoTime() - t0) / 1000);
                                    done.incrementAndGet();
                                }
                            }
                        });
                    }
                    loop.shutdown();
                    loop.awaitTermination(SECONDS + 60, java.util.concurrent.TimeUnit.SECONDS);
                    line(ordered("scenario", "api-sales-throughput", "concurrency", 16, "seconds", SECONDS,
                            "sales_per_s", Math.round(done.get() / (double) SECONDS),
                            "p50_ms", closed.getValueAtPercentile(50) / 1000.0,
                            "p99_ms", closed.getValueAtPercentile(99) / 1000.0));
                } finally {
                    node.stop();
                    api.stop();
                }
            }
        }
    }

    // ---- reports on a year of history for 50 branches ----

    static final class Reports {
        static void run() throws Exception {
            Path data = Files.createTempDirectory("optik-bench-reports-pg-");
            try (PostgresServer postgres = PostgresServer.start(0, data); RedisProcess redis = RedisProcess.start(0)) {
                NodeProcess api = startNode("api", "id.optikmelati.api.ApiApplication", FreePorts.find(),
                        List.of("-XX:+UseSerialGC", "-Xmx1g"), List.of(
                                "--spring.profiles.active=demo", "--spring.datasource.url=" + postgres.jdbcUrl(),
                                "--spring.datasource.username=postgres", "--optik.redis.url=" + redis.uri(),
                                "--optik.auth.jwt-secret=" + SECRET, "--logging.level.root=warn"));
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "")) {
                    long t0 = System.nanoTime();
                    var st = c.createStatement();
                    st.execute("insert into branch (id, name) select g, 'Cabang Beban ' || g from generate_series(4, 50) g");
                    st.execute("insert into stock (product_id, branch_id, quantity) select p.id, b.id, 50"
                            + " from product p cross join branch b where b.id > 3");
                    // 60 sales a day in every branch for a year, 09:00 to 20:00 (Jakarta), a third BPJS
                    st.execute("""
                            insert into sale (invoice_no, branch_id, cashier_id, payment_type, total, created_at,
                                              business_date, idempotency_key, request_hash)
                            select 'B-' || b || '-' || d || '-' || n, b, (select id from app_user where username = 'superadmin'),
                                   case when n % 3 = 0 then 'BPJS' else 'UMUM' end, 100000 + (n * 7919) % 900000,
                                   ((current_date - d) + time '09:00' + n * interval '11 minutes') at time zone 'Asia/Jakarta',
                                   current_date - d, 'bench-' || b || '-' || d || '-' || n, 'bench'
                            from generate_series(1, 50) b, generate_series(0, 364) d, generate_series(1, 60) n
                            """);
                    // one movement per sale, over 200 products; a restock every 40th; some fall to zero
                    st.execute("""
                            insert into stock_movement (product_id, branch_id, kind, delta, quantity_after, at)
                            select 1 + (n * 31 + d) % 200, b, case when n % 40 = 0 then 'RESTOCKED' else 'SOLD' end,
                                   case when n % 40 = 0 then 30 else -1 end, (n * 13 + d) % 25,
                                   ((current_date - d) + time '09:00' + n * interval '11 minutes') at time zone 'Asia/Jakarta'
                            from generate_series(1, 50) b, generate_series(0, 364) d, generate_series(1, 60) n
                            """);
                    st.execute("analyze");
                    line(ordered("scenario", "reports-data", "branches", 50, "days", 365, "sales", 50L * 365 * 60,
                            "stock_movements", 50L * 365 * 60, "generate_seconds", round((System.nanoTime() - t0) / 1e9)));
                }
                ApiClient shop = new ApiClient("http://127.0.0.1:" + api.port());
                String token = shop.login("superadmin", "melati-demo");
                String year = "from=" + java.time.LocalDate.now().minusDays(364) + "&to=" + java.time.LocalDate.now();
                Map<String, String> reports = new LinkedHashMap<>();
                reports.put("branches (50 branches, a year)", "/api/reports/branches?" + year);
                reports.put("peak-hours (one branch, a year)", "/api/reports/peak-hours?branchId=7&" + year);
                reports.put("stock-movement (one branch, a year)", "/api/reports/stock-movement?branchId=7&" + year);
                reports.put("low-stock (one branch, a year)", "/api/reports/low-stock?branchId=7&" + year);
                reports.put("forecast (one branch)", "/api/reports/forecast?branchId=7");
                for (var r : reports.entrySet()) {
                    shop.get(r.getValue(), token); // warm-up
                    Histogram h = new Histogram(3_600_000_000L, 3);
                    for (int i = 0; i < 10; i++) {
                        long t0 = System.nanoTime();
                        var answer = shop.get(r.getValue(), token);
                        h.recordValue((System.nanoTime() - t0) / 1000);
                        if (answer.status() != 200) {
                            throw new IllegalStateException(r.getKey() + ": " + answer.status());
                        }
                    }
                    line(ordered("scenario", "report", "report", r.getKey(), "runs", 10,
                            "p50_ms", h.getValueAtPercentile(50) / 1000.0, "max_ms", h.getMaxValue() / 1000.0));
                }
                api.stop();
            }
        }
    }

    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
