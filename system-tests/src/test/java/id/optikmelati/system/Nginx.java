package id.optikmelati.system;

import id.optikmelati.testkit.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Debian's nginx with infra/nginx/optik.conf.template, rendered for nodes on loopback. */
final class Nginx implements AutoCloseable {

    static final Path BINARY = Path.of(System.getenv().getOrDefault("OPTIK_NGINX", "/usr/sbin/nginx"));

    final int port;
    final Path prefix;
    private final Process process;

    private Nginx(int port, Path prefix, Process process) {
        this.port = port;
        this.prefix = prefix;
        this.process = process;
    }

    static Nginx start(List<Integer> apiPorts, List<Integer> realtimePorts) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("no nginx at " + BINARY + "; install Debian's nginx (.ci/run does)"
                    + " or point OPTIK_NGINX at one");
        }
        int port = FreePorts.find();
        Path prefix = Files.createTempDirectory("optik-nginx-");
        for (String dir : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            Files.createDirectories(prefix.resolve("tmp").resolve(dir));
        }
        String conf = Files.readString(Path.of("..", "infra", "nginx", "optik.conf.template"))
                .replace("${PREFIX}", prefix.toString())
                .replace("${LISTEN}", "127.0.0.1:" + port)
                .replace("${API_SERVERS}", servers(apiPorts))
                .replace("${REALTIME_SERVERS}", servers(realtimePorts));
        Files.writeString(prefix.resolve("nginx.conf"), conf);
        Process p = new ProcessBuilder(BINARY.toString(), "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(),
                "-g", "daemon off; user root;").redirectErrorStream(true).redirectOutput(prefix.resolve("out.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("nginx exited: " + Files.readString(prefix.resolve("out.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new Nginx(port, prefix, p);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("nginx did not listen on " + port);
    }

    private static String servers(List<Integer> ports) {
        return ports.stream().map(p -> "server 127.0.0.1:" + p + " max_fails=2 fail_timeout=10s;")
                .collect(Collectors.joining("\n        "));
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
