package id.optikmelati.testkit;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One of our nodes (API or realtime) as its own OS process, from its exec jar as it is deployed:
 * for tests that stop, kill or restart nodes for real. Its output goes to a log file. Its actuator is
 * on a management port of its own, as deployed ({@link #managementUrl}); the public port has the
 * probes only.
 */
public final class NodeProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final int port;
    private final int managementPort;
    private final Path log;
    private Process process;

    private NodeProcess(String name, List<String> command, int port, Path log) {
        this.name = name;
        this.managementPort = FreePorts.find();
        this.command = new ArrayList<>(command);
        this.command.add("--management.server.port=" + managementPort);
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code module}'s exec jar (built by {@code ./mvnw verify} before the tests that use it)
     * on {@code port} and waits until its readiness probe answers 200.
     */
    public static NodeProcess start(String module, int port, List<String> args) {
        File jar = execJar(module);
        // A test's node lives a minute or two: the client compiler alone starts it on far less CPU (C2's
        // threads would compete with the test on a small machine). Benchmarks start theirs with
        // startClasspath and the full JIT.
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.getAbsolutePath(), "--server.port=" + port));
        cmd.addAll(args);
        try {
            NodeProcess node = new NodeProcess(module + ":" + port, cmd,
                    port, Files.createTempFile("optik-" + module + "-" + port + "-", ".log"));
            node.start();
            return node;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a node from compiled classes and a classpath (as {@code infra/local/cluster.sh} does),
     * with the given java executable and JVM options: for benchmarks on a chosen JDK.
     */
    public static NodeProcess startClasspath(String name, Path javaBin, List<String> jvmArgs, String classpath,
            String mainClass, int port, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin.toString()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", classpath, mainClass, "--server.port=" + port));
        cmd.addAll(args);
        try {
            NodeProcess node = new NodeProcess(name + ":" + port, cmd, port,
                    Files.createTempFile("optik-" + name + "-" + port + "-", ".log"));
            node.start();
            return node;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The OS process id (for reading its CPU time and memory from /proc). */
    public synchronized long pid() {
        return process.pid();
    }

    /** (Re)starts the process with the same command and port, and waits until it is ready. */
    public synchronized void start() {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            awaitReady(Duration.ofSeconds(120));
        } catch (IOException e) {
            throw new IllegalStateException(name + " did not start: " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/readyz")))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; log: " + log);
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Where actuator answers (what Prometheus scrapes). */
    public int managementPort() {
        return managementPort;
    }

    /** On the management port: /actuator/health, /actuator/prometheus. */
    public String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    public Path log() {
        return log;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, as an orchestrator stops a node: it drains, then exits. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor(30);
        }
    }

    /** SIGKILL: the node dies with no chance to say goodbye. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor(10);
        }
    }

    private void waitFor(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return log.toString();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The module's exec jar in its target folder (from a module folder, as tests run, or from the root). */
    public static File execJar(String module) {
        Path target = Files.isDirectory(Path.of(module, "target")) ? Path.of(module, "target") : Path.of("..", module, "target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(f -> f.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .map(Path::toFile)
                    .orElseThrow(() -> new IllegalStateException("no " + module + " exec jar in "
                            + target.toAbsolutePath() + "; build it first (./mvnw verify builds every module in order)"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
