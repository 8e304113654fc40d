package id.optikmelati.bench;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark (see load-tests/README.md and BENCHMARKS.md): SSE fan-out on one realtime node
 * against Nchan on the same machine, sale-to-screen end to end, and a reconnect wave. One JSON
 * line per scenario on stdout and in {@code bench.out}. The servers: {@link OurNode}, {@link
 * NchanServer}; the scenarios: {@link FanoutRounds}, {@link MaxRate}, {@link ReconnectWave}, {@link
 * EndToEnd}, {@link ReportsOnAYear}; the client's side of a window: {@link Measurement}.
 *
 * <p>System properties: {@code bench.scenarios} (fanout,nchan,maxrate,wave,e2e,reports), {@code
 * bench.connections} (1000,5000,10000), {@code bench.branches} (10), {@code bench.rate} (100 events/s),
 * {@code bench.memory.connections} (10000 idle streams, scenario {@code memory}), {@code
 * bench.maxrate.step} (events/s: one max-rate step instead of the search),
 * {@code bench.seconds} (20 per measured window), {@code bench.rounds} (3: the servers take turns this
 * many times per size up to 5,000 streams), {@code bench.first} (ours or nchan), {@code bench.java} (the
 * JDK that runs the nodes), {@code bench.wave.connections} (1000), {@code bench.wave.rounds} (3),
 * {@code bench.out} (load-tests/target/bench-results.jsonl; the run's table and plots go beside it).
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
     * {@link Measurement#warmUp} for when the warm-up goes on longer.
     */
    static final int WARMUP = Integer.getInteger("bench.warmup", 150);
    /** Seconds of warm-up at most, while the JIT compilers are still busy. */
    static final int WARMUP_MAX = Integer.getInteger("bench.warmup.max", 300);
    static final Path JAVA = Path.of(System.getProperty("bench.java", System.getProperty("java.home")), "bin", "java");
    /** This load client's own process, whose JIT time is reported beside the server's. */
    static final long CLIENT_PID = ProcessHandle.current().pid();
    static final Path OUT = Path.of(System.getProperty("bench.out", ROOT.resolve("load-tests/target/bench-results.jsonl").toString()));

    public static void main(String[] args) throws Exception {
        List<String> scenarios = List.of(System.getProperty("bench.scenarios", "fanout,nchan,maxrate,wave,e2e").split(","));
        List<Integer> sizes = new ArrayList<>();
        for (String n : System.getProperty("bench.connections", "1000,5000,10000").split(",")) {
            sizes.add(Integer.parseInt(n.trim()));
        }
        Files.createDirectories(OUT.getParent());
        line(Map.of("scenario", "machine", "cores", Runtime.getRuntime().availableProcessors(),
                "node_java", JAVA.toString(), "client_java", System.getProperty("java.version"),
                "date", Instant.now().toString()));
        boolean nchanFirst = System.getProperty("bench.first", "ours").equals("nchan");
        boolean wantOurs = scenarios.contains("fanout") || scenarios.contains("maxrate") || scenarios.contains("wave")
                || scenarios.contains("memory");
        String stem = "bench-" + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm")
                .withZone(java.time.ZoneOffset.UTC).format(Instant.now());
        try (RedisProcess redis = RedisProcess.start(0);
                OurNode ours = wantOurs ? new OurNode(redis) : null;
                NchanServer nchan = scenarios.contains("nchan") ? new NchanServer() : null) {
            // Nchan takes part in each scenario that has a peer; named alone (or with e2e), it is its fan-out.
            boolean peerOnly = nchan != null && !scenarios.contains("maxrate") && !scenarios.contains("wave")
                    && !scenarios.contains("memory");
            if (scenarios.contains("fanout") || peerOnly) {
                for (int n : sizes) {
                    FanoutRounds.run(n, scenarios.contains("fanout") ? ours : null, nchan, nchanFirst);
                }
            }
            if (scenarios.contains("memory")) {
                IdleMemory.run(() -> ours.fresh().target(), nchan == null ? null : () -> nchan.fresh().target(), nchanFirst);
            }
            if (scenarios.contains("maxrate")) {
                Integer step = Integer.getInteger("bench.maxrate.step");
                List<Step> searches = new ArrayList<>();
                searches.add(() -> {
                    if (step == null) {
                        MaxRate.search(() -> ours.fresh()::fanout, "ours");
                    } else {
                        MaxRate.step(() -> ours.fresh()::fanout, "ours", step);
                    }
                });
                if (nchan != null) {
                    searches.add(() -> {
                        if (step == null) {
                            MaxRate.search(() -> nchan.fresh()::fanout, "nchan");
                        } else {
                            MaxRate.step(() -> nchan.fresh()::fanout, "nchan", step);
                        }
                    });
                }
                if (nchanFirst) {
                    Collections.reverse(searches);
                }
                for (Step search : searches) {
                    search.run();
                }
            }
            if (scenarios.contains("wave")) {
                ReconnectWave.run(Integer.getInteger("bench.wave.connections", 1000), () -> ours.fresh().target(),
                        nchan == null ? null : () -> nchan.fresh().target(), nchanFirst);
            }
        }
        if (scenarios.contains("e2e")) {
            EndToEnd.run();
        }
        if (scenarios.contains("reports")) {
            ReportsOnAYear.run();
        }
        Path table = Report.write(OUT.getParent(), stem, System.getProperty("bench.command", "bench"));
        progress("results: " + OUT + ", table: " + table);
    }

    interface Step {
        void run() throws Exception;
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

    /** A line on stderr for whoever watches a long run (the results go to stdout and the results file). */
    static void progress(String what) {
        System.err.printf("%tT %s%n", java.time.LocalTime.now(), what);
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    static synchronized void line(Map<String, ?> fields) {
        Report.add(fields);
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

    static void await(String what, long seconds, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            sleep(50);
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
