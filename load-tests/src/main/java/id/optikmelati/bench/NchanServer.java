package id.optikmelati.bench;

import static id.optikmelati.bench.Bench.*;
import static id.optikmelati.bench.Measurement.*;

import id.optikmelati.load.SseSwarm;
import id.optikmelati.testkit.FreePorts;
import id.optikmelati.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The peer: Nchan (an nginx module) with its Redis backend, on a Redis of its own, started and stopped by the benchmark. */
final class NchanServer implements AutoCloseable {
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

    NchanServer() throws Exception {
        Path module = Path.of("/usr/lib/nginx/modules/ngx_nchan_module.so");
        if (!Files.exists(module)) {
            throw new IllegalStateException("NchanServer is not installed: apt-get install nginx libnginx-mod-nchan");
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
                    listen 127.0.0.1:%d backlog=%d;
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
                """.formatted(module, Runtime.getRuntime().availableProcessors(), prefix, prefix, prefix, redis.uri(), port, listenBacklog()));
        nginx = start();
    }

    /**
     * The kernel's largest accept queue, which Netty asks for too; nginx's own default (511) would
     * make it drop SYNs in a wave of reconnects that our node queues.
     */
    private static int listenBacklog() {
        try {
            // a line, not Files.readString: that trusts the size procfs reports, and read "4" of "4096"
            try (var in = Files.newBufferedReader(Path.of("/proc/sys/net/core/somaxconn"))) {
                return Integer.parseInt(in.readLine().trim());
            }
        } catch (IOException | NumberFormatException e) {
            return 511;
        }
    }

    /** An nginx that has served no streams yet, on an emptied Redis (an overloaded one stays slow for minutes). */
    NchanServer fresh() throws Exception {
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
        // Listening is not serving: until its workers have connected to Redis, Nchan answers 503, and
        // a swarm that opened its streams then would wait for ones that were refused.
        await("nchan connected to its Redis", 20, () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pub/ready"))
                        .timeout(java.time.Duration.ofSeconds(1)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() != 503;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
            // An overloaded NchanServer leaves POSTs queued here: let them through before the next window
            // starts, or they would land in it as late (uncounted) events and load it.
            awaitPublished();
            sleep(2000);
        }
    }

    /** This nginx as the reconnect wave and the memory scenario see it. */
    ReconnectWave.Target target() {
        used = true;
        return new ReconnectWave.Target("nchan", nginx.pid(), port, b -> "/sub/b" + b, i -> null, this::send,
                () -> sleep(2000), this::awaitPublished, false);
    }

    private void awaitPublished() {
        await("queued publishes to NchanServer", 600,
                () -> publishers.getQueue().isEmpty() && publishers.getActiveCount() == 0);
    }

    @Override
    public void close() throws Exception {
        stop();
        redis.close();
        publishers.shutdownNow();
        httpThreads.shutdownNow(); // its threads are not daemons: the benchmark would never exit
    }
}
