package id.optikmelati.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.RawSockets;
import id.optikmelati.testkit.RedisProcess;
import id.optikmelati.testkit.SseClient;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node's life at its edges, on a real API, Redis and PostgreSQL: a client that stops reading,
 * a graceful shutdown, and a start while Redis is down.
 */
class NodeLifecycleTest {

    static RedisProcess redis;
    static NodeProcess api;
    static ApiClient shop;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start(0);
        api = RealtimeCluster.api(redis.uri());
        shop = RealtimeCluster.client(api);
    }

    @AfterAll
    static void stop() {
        api.close();
        redis.stop();
    }

    static String url(ConfigurableApplicationContext node, String path) {
        return "http://127.0.0.1:" + RealtimeCluster.port(node) + path;
    }

    @Test
    void aStalledClientIsCutOffWithoutDelayingTheOthers() throws Exception {
        // Small buffers so a stalled client fills them after a few dozen events, not thousands.
        ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(), Map.of(
                "optik.realtime.send-buffer", "16", "optik.realtime.socket-send-buffer", "4096",
                "optik.realtime.behind-after", "4096"));
        String admin1 = shop.login("admin1", "melati-demo");
        long product = RealtimeCluster.product(1, 1000);
        try (SseClient healthy = SseClient.open(url(node, "/realtime/dashboard"), admin1, null);
                Socket stalled = new Socket()) {
            openRaw(stalled, node, "/realtime/dashboard", admin1);
            await().atMost(Duration.ofSeconds(5)).until(() -> !healthy.named("omset").isEmpty());
            await().atMost(Duration.ofSeconds(5)).until(() -> openStreams(node) == 2);

            long startSeq = RealtimeCluster.branchSeq(1);
            for (int i = 0; i < 150; i++) {
                RealtimeCluster.sell(shop, admin1, product);
            }
            long endSeq = RealtimeCluster.branchSeq(1);

            // The healthy screen has every event, in order, while the stalled one has read nothing yet.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                List<Long> s = RealtimeCluster.seqsOf(healthy, 1);
                return !s.isEmpty() && s.get(s.size() - 1) == endSeq;
            });
            assertThat(RealtimeCluster.seqsOf(healthy, 1))
                    .isEqualTo(LongStream.rangeClosed(startSeq + 1, endSeq).boxed().toList());
            MeterRegistry meters = node.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    meters.counter("optik.realtime.disconnects", "reason", "slow-consumer").count() == 1);
            assertThat(openStreams(node)).isEqualTo(1);
            assertThat(healthy.ended()).isFalse();

            // The stalled client finds its stream cut short: it would reconnect with its last id.
            stalled.setSoTimeout(10_000);
            String received = readUntilClosed(stalled.getInputStream());
            assertThat(received).startsWith("HTTP/1.1 200").contains("event:sale");
            assertThat(received).doesNotContain("id:1:" + endSeq + "\n");
        } finally {
            node.close();
        }
    }

    @Test
    void aScreenThatReadsSlowlyGetsConflatedStockEndingAtTheTrueLevelsWhileOthersStayFast() throws Exception {
        ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(), Map.of(
                "optik.realtime.socket-send-buffer", "4096", "optik.realtime.behind-after", "4096"));
        String admin1 = shop.login("admin1", "melati-demo");
        long[] products = {RealtimeCluster.product(1, 1000), RealtimeCluster.product(1, 1000),
                RealtimeCluster.product(1, 1000)};
        java.io.ByteArrayOutputStream slowlyRead = new java.io.ByteArrayOutputStream();
        try (SseClient healthy = SseClient.open(url(node, "/realtime/stock-updates"), admin1, null);
                Socket slow = new Socket()) {
            for (int i = 0; i < 30; i++) { // a node that has served a while: its first deliveries compile code
                RealtimeCluster.sell(shop, admin1, products[i % 3]);
            }
            openRaw(slow, node, "/realtime/stock-updates", admin1);
            Thread reader = new Thread(() -> { // at most 6 KB a second, a phone on a bad link
                byte[] buf = new byte[128];
                try (InputStream in = slow.getInputStream()) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (slowlyRead) {
                            slowlyRead.write(buf, 0, n);
                        }
                        Thread.sleep(20);
                    }
                } catch (Exception closedOrInterrupted) {
                    // the test ends it
                }
            });
            reader.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> openStreams(node) == 2);

            long startSeq = RealtimeCluster.branchSeq(1);
            int sales = 150;
            for (int i = 0; i < sales; i++) {
                RealtimeCluster.sell(shop, admin1, products[i % 3]);
            }
            long endSeq = RealtimeCluster.branchSeq(1);
            Map<Long, Integer> truth = new java.util.TreeMap<>();
            for (long p : products) {
                truth.put(p, 1000 - (30 + sales) / 3);
            }

            // The slow screen ends at the true level of every product, with fewer messages than were sent.
            await().atMost(Duration.ofSeconds(60)).until(() -> levels(text(slowlyRead)).equals(truth));
            MeterRegistry meters = node.getBean(MeterRegistry.class);
            assertThat(meters.counter("optik.realtime.events.conflated").count()).isPositive();
            assertThat(meters.counter("optik.realtime.disconnects", "reason", "slow-consumer").count()).isZero();
            List<Long> slowSeqs = java.util.regex.Pattern.compile("\nid:1:(\\d+)\n").matcher(text(slowlyRead))
                    .results().map(m -> Long.parseLong(m.group(1))).toList();
            assertThat(slowSeqs).isSorted().doesNotHaveDuplicates().hasSizeLessThan(sales);
            assertThat(slowSeqs.get(slowSeqs.size() - 1)).isLessThanOrEqualTo(endSeq);

            // The healthy screen had every event, in order, and fast.
            await().atMost(Duration.ofSeconds(10)).until(() -> levels(String.join("\n",
                    healthy.named("stock").stream().map(SseClient.Message::data).toList())).equals(truth));
            List<Long> stockSeqs = healthy.named("stock").stream()
                    .map(m -> id.optikmelati.contract.EventCursor.parse(m.id()).orElseThrow().seqOf(1).orElseThrow())
                    .filter(seq -> seq > startSeq).toList();
            assertThat(stockSeqs).hasSize(sales).isSorted();
            List<Long> latencies = healthy.named("stock").stream()
                    .filter(m -> id.optikmelati.contract.EventCursor.parse(m.id()).orElseThrow().seqOf(1).orElseThrow()
                            > startSeq)
                    .map(m -> Duration.between(Instant.parse(field(m.data(), "timestamp")), m.receivedAt()).toMillis())
                    .sorted().toList();
            long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
            assertThat(p99).as("healthy screen's p99 in ms, beside the slow one").isLessThan(100);
            reader.interrupt();
        } finally {
            node.close();
        }
    }

    @Test
    void aStreamThatTakesNoBytesIsCutOffAfterTheStallTimeout() throws Exception {
        // A backlog too large to be what ends it: only the stall timeout may.
        ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(), Map.of(
                "optik.realtime.socket-send-buffer", "4096", "optik.realtime.behind-after", "4096",
                "optik.realtime.send-buffer", "100000", "optik.realtime.stall-timeout", "3s",
                "optik.realtime.heartbeat", "2s"));
        String admin1 = shop.login("admin1", "melati-demo");
        long product = RealtimeCluster.product(1, 1000);
        try (Socket stalled = new Socket()) {
            openRaw(stalled, node, "/realtime/dashboard", admin1);
            await().atMost(Duration.ofSeconds(5)).until(() -> openStreams(node) == 1);
            for (int i = 0; i < 60; i++) { // enough to fill the kernel's buffers and the queue
                RealtimeCluster.sell(shop, admin1, product);
            }
            long soldAt = System.nanoTime();
            MeterRegistry meters = node.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    meters.counter("optik.realtime.disconnects", "reason", "slow-consumer").count() == 1);
            // the stall timeout, plus at most a look's interval (half the heartbeat) and a margin
            assertThat(Duration.ofNanos(System.nanoTime() - soldAt)).isLessThan(Duration.ofSeconds(3 + 1 + 2));
            assertThat(openStreams(node)).isZero();
        } finally {
            node.close();
        }
    }

    /** A stream asked for on a bare socket with a small receive buffer, as a client that reads slowly or not at all. */
    private static void openRaw(Socket socket, ConfigurableApplicationContext node, String path, String token)
            throws java.io.IOException {
        socket.setReceiveBufferSize(1024);
        socket.connect(new InetSocketAddress("127.0.0.1", RealtimeCluster.port(node)));
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String text(java.io.ByteArrayOutputStream bytes) {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Each product's level as last seen in a stock screen's messages. */
    private static Map<Long, Integer> levels(String messages) {
        Map<Long, Integer> out = new java.util.TreeMap<>();
        java.util.regex.Matcher update = java.util.regex.Pattern.compile("\\{[^{}]*\"new_stock\"[^{}]*\\}")
                .matcher(messages);
        while (update.find()) {
            String u = update.group();
            out.put(Long.parseLong(number(u, "product_id")), Integer.parseInt(number(u, "new_stock")));
        }
        return out;
    }

    private static String number(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":(-?\\d+)").matcher(json);
        return m.find() ? m.group(1) : "0";
    }

    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    @Test
    void onShutdownReadinessGoesDownFirstThenClientsAreToldToReconnectWithJitter() throws Exception {
        ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(), Map.of(
                "optik.realtime.readiness-grace", "1500ms", "optik.realtime.drain-timeout", "5s"));
        String kasir1 = shop.login("kasir1", "melati-demo");
        HttpClient http = HttpClient.newHttpClient();
        URI readiness = URI.create(url(node, "/readyz"));
        assertThat(http.send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        try (SseClient screen = SseClient.open(url(node, "/realtime/omset-kasir"), kasir1, null)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !screen.named("omset").isEmpty());

            CompletableFuture<Void> closing = CompletableFuture.runAsync(node::close);
            await().atMost(Duration.ofSeconds(5)).until(() -> http.send(HttpRequest.newBuilder(readiness).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 503);
            assertThat(screen.named("reconnect")).as("told to reconnect only after readiness went down").isEmpty();

            await().atMost(Duration.ofSeconds(5)).until(screen::ended);
            assertThat(screen.named("reconnect")).hasSize(1);
            assertThat(screen.named("reconnect").get(0).data()).contains("shutdown");
            closing.get(); // the node exits, bounded by the readiness grace plus the drain timeout
            assertThat(node.isActive()).isFalse();
        } finally {
            node.close();
        }
    }

    @Test
    void aNodeStartsWhileRedisIsDownAndServesOnceRedisReturns() throws Exception {
        redis.stop();
        ConfigurableApplicationContext node = null;
        try {
            node = RealtimeCluster.node(redis.uri(), Map.of());
            HttpClient http = HttpClient.newHttpClient();
            var ready = http.send(HttpRequest.newBuilder(URI.create(url(node, "/readyz"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            String kasir1 = shop.login("kasir1", "melati-demo");
            try (SseClient refused = SseClient.open(url(node, "/realtime/stock-updates"), kasir1, null)) {
                assertThat(refused.status).isEqualTo(503);
            }

            redis.start(); // empty: the API re-seeds the snapshot, the node subscribes on its own
            long product = RealtimeCluster.product(1, 100);
            ConfigurableApplicationContext n = node;
            SseClient screen = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(
                    () -> SseClient.open(url(n, "/realtime/stock-updates"), kasir1, null), c -> c.status == 200);
            try (screen) {
                await().atMost(Duration.ofSeconds(10)).until(() -> n.getBean(
                        id.optikmelati.realtime.broker.RedisEventBroker.class).subscribed());
                RealtimeCluster.sell(shop, kasir1, product);
                await().atMost(Duration.ofSeconds(10)).until(() -> screen.named("stock").stream()
                        .anyMatch(m -> m.data().contains("\"product_id\":" + product + ",")));
            }
        } finally {
            if (!redis.isRunning()) {
                redis.start();
            }
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void everyClientGetsWellFormedChunksEvenOverHttp10() throws Exception {
        // Frames go to the socket pre-framed as HTTP chunks, past Netty's encoder: check the framing
        // byte for byte. An HTTP/1.0 client gets the same (Netty answers it chunked, then closes).
        ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(), Map.of());
        String admin1 = shop.login("admin1", "melati-demo");
        long product = RealtimeCluster.product(1, 1000);
        try (Socket http11 = new Socket("127.0.0.1", RealtimeCluster.port(node));
                Socket http10 = new Socket("127.0.0.1", RealtimeCluster.port(node))) {
            for (var s : List.of(Map.entry(http11, "HTTP/1.1"), Map.entry(http10, "HTTP/1.0"))) {
                s.getKey().setSoTimeout(10_000);
                s.getKey().getOutputStream().write(("GET /realtime/stock-updates " + s.getValue()
                        + "\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + admin1
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> openStreams(node) == 2);
            RealtimeCluster.sell(shop, admin1, product);
            RealtimeCluster.sell(shop, admin1, product);

            for (Socket socket : List.of(http11, http10)) {
                String received = readUntil(socket.getInputStream(), b -> count(dechunk(b), "event:stock\n") == 2);
                assertThat(received).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
                String body = dechunk(received.substring(received.indexOf("\r\n\r\n") + 4));
                assertThat(body).startsWith("retry:").contains(":connected\n").endsWith("\n\n");
                assertThat(body.split("\n\n")).hasSize(3).allSatisfy(message ->
                        assertThat(message).matches("(?s)retry:\\d+\n:connected|id:1:\\d+\nevent:stock\ndata:\\{.*\\}"));
            }
        } finally {
            node.close();
        }
    }

    @Test
    void onlyIdleStreamsGetHeartbeatsAndEveryStreamKeepsItsLease() throws Exception {
        // Heartbeats and lease renewals are spread over the heartbeat interval; a stream that
        // carried events needs no heartbeat. A 2 s lease outlives this test only if it is renewed.
        ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(),
                Map.of("optik.realtime.heartbeat", "1s", "optik.realtime.connection-lease", "2s"));
        String kasir1 = shop.login("kasir1", "melati-demo"); // branch 1: sales all along
        String kasir2 = shop.login("kasir2", "melati-demo"); // branch 2: nothing happens
        long product = RealtimeCluster.product(1, 1000);
        RedisClient client = RedisClient.create(redis.uri());
        try (SseClient busy = SseClient.open(url(node, "/realtime/stock-updates"), kasir1, null);
                SseClient idle = SseClient.open(url(node, "/realtime/stock-updates"), kasir2, null);
                var redisConnection = client.connect()) {
            RealtimeCluster.sell(shop, kasir1, product);
            await().atMost(Duration.ofSeconds(5)).until(() -> busy.named("stock").size() == 1);
            Instant busySince = Instant.now();
            long userOf2 = new AccessTokens(RealtimeCluster.SECRET, Clock.systemUTC()).verify(kasir2).userId();
            for (int i = 0; i < 20; i++) { // 4 s of sales, one every 200 ms
                RealtimeCluster.sell(shop, kasir1, product);
                Thread.sleep(200);
            }
            assertThat(idle.comments.stream().filter(c -> c.getKey().equals("heartbeat")).count())
                    .as("heartbeats on the idle stream in over 4 s, never silent for 1 s").isGreaterThanOrEqualTo(4);
            assertThat(busy.comments).as("heartbeats on the busy stream since its first event")
                    .noneMatch(c -> c.getKey().equals("heartbeat") && c.getValue().isAfter(busySince));
            assertThat(busy.named("stock")).hasSize(21);
            assertThat(redisConnection.sync().zcard(RedisKeys.connections(userOf2)))
                    .as("the idle stream's slot, renewed past its 2 s lease").isEqualTo(1);
        } finally {
            client.shutdown();
            node.close();
        }
    }

    /** Reads until the body so far (after the headers) satisfies {@code done}, or the socket ends. */
    private static String readUntil(InputStream in, java.util.function.Predicate<String> done) throws java.io.IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = read(in, buf, got)) > 0; ) {
            got.write(buf, 0, n);
            String text = got.toString(StandardCharsets.UTF_8);
            int headersEnd = text.indexOf("\r\n\r\n");
            if (headersEnd >= 0 && done.test(text.substring(headersEnd + 4))) {
                return text;
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static int read(InputStream in, byte[] buf, java.io.ByteArrayOutputStream got) throws java.io.IOException {
        try {
            return in.read(buf);
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("timed out after receiving: " + got.toString(StandardCharsets.UTF_8), e);
        }
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    /** Decodes a chunked body, failing on any chunk whose size line does not match its bytes. */
    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int lineEnd = body.indexOf("\r\n", at);
            assertThat(lineEnd).as("a chunk size line at %d of %s", at, body).isPositive();
            int size = Integer.parseInt(body.substring(at, lineEnd), 16);
            int start = lineEnd + 2;
            if (start + size + 2 > body.length()) {
                break; // the last chunk is still arriving
            }
            out.append(body, start, start + size);
            assertThat(body.substring(start + size, start + size + 2)).as("the end of a chunk").isEqualTo("\r\n");
            at = start + size + 2;
        }
        return out.toString();
    }

    /** What a socket received until the server closed or reset it. */
    private static String readUntilClosed(InputStream in) {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
            }
        } catch (java.io.IOException resetOrTimeout) {
            // a reset ends it as well as a close
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    @Test
    void idleAndSlowSocketsAreClosedWhileAnOpenStreamStaysAndAScreenStaysFast() throws Exception {
        ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(), Map.of(
                "optik.realtime.header-timeout", "2s", "optik.realtime.unlimited-addresses", ""));
        String admin1 = shop.login("admin1", "melati-demo");
        long product = RealtimeCluster.product(1, 1000);
        try (SseClient screen = SseClient.open(url(node, "/realtime/dashboard"), admin1, null);
                var attacker = new RawSockets.SlowClients(RealtimeCluster.port(node), "/realtime/dashboard", 100, 100)) {
            // A screen opened meanwhile connects and gets a sale live, as fast as ever.
            long openedAt = System.nanoTime();
            try (SseClient second = SseClient.open(url(node, "/realtime/dashboard"), admin1, null)) {
                await().atMost(Duration.ofSeconds(2)).until(() -> !second.named("omset").isEmpty());
                RealtimeCluster.sell(shop, admin1, product);
                await().atMost(Duration.ofSeconds(2)).until(() -> !second.named("sale").isEmpty());
                assertThat(Duration.ofNanos(System.nanoTime() - openedAt)).isLessThan(Duration.ofSeconds(3));
            }

            for (Socket s : attacker.sockets()) {
                s.setSoTimeout(6_000); // the header timeout and a margin, counted from now: a bound, not a wait
                assertThat(RawSockets.closedWithoutAnswer(s)).isTrue();
            }
            MeterRegistry meters = node.getBean(MeterRegistry.class);
            assertThat(meters.counter("optik.realtime.sockets.closed", "reason", "header-timeout").count())
                    .isGreaterThanOrEqualTo(200);
            // the stream that was open all along is exempt: still there, still live
            RealtimeCluster.sell(shop, admin1, product);
            await().atMost(Duration.ofSeconds(2)).until(() -> screen.named("sale").size() >= 2);
            assertThat(screen.ended()).isFalse();
        } finally {
            node.close();
        }
    }

    @Test
    void anAddressOverItsCapOfOpenConnectionsGetsA429UntilOneCloses() throws Exception {
        ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(), Map.of(
                "optik.realtime.connections-per-address", "3", "optik.realtime.unlimited-addresses", ""));
        List<Socket> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(new Socket("127.0.0.1", RealtimeCluster.port(node)));
            }
            // which of the four is refused depends on which event loop counts it first: exactly one is
            List<String> refusals = new java.util.ArrayList<>();
            for (Socket s : List.copyOf(held)) {
                s.setSoTimeout(1_000);
                String answer = readUntilClosed(s.getInputStream());
                if (!answer.isEmpty()) {
                    refusals.add(answer);
                    held.remove(s);
                    s.close();
                }
            }
            assertThat(refusals).hasSize(1);
            assertThat(refusals.get(0)).startsWith("HTTP/1.1 429").containsIgnoringCase("retry-after: 5")
                    .contains("application/problem+json", "address-limit");
            held.remove(0).close();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                try (Socket again = new Socket("127.0.0.1", RealtimeCluster.port(node))) {
                    again.setSoTimeout(5_000);
                    again.getOutputStream().write("GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    assertThat(readUntilClosed(again.getInputStream())).startsWith("HTTP/1.1 200");
                }
            });
        } finally {
            for (Socket s : held) {
                s.close();
            }
            node.close();
        }
    }

    @Test
    void httpTheNodeCannotReadIsAnsweredAsProblemJsonInTheCallersLanguage() throws Exception {
        ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(), Map.of());
        try {
            Map<String, String> expected = new java.util.LinkedHashMap<>();
            expected.put("GARBAGE\r\n\r\n", "HTTP/1.1 400|bad-request");
            expected.put("GET /realtime/dashboard?branch=%ZZ HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400|bad-encoding");
            expected.put("GET /realtime/x HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n",
                    "HTTP/1.1 431|headers-too-large");
            expected.put("GET /realtime/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 414|uri-too-long");
            expected.put("GET /api/products%2F1 HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n\r\n",
                    "HTTP/1.1 404|not-found|Not found");
            expected.put("GET /realtime/..;/x HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 404|not-found|Tidak ditemukan");
            expected.put("POST /realtime/dashboard HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                    "HTTP/1.1 405|method-not-allowed");
            expected.put("GET /realtime/dashboard HTTP/1.1\r\nHost: x\r\nAccept-Language: ;;;\r\n\r\n",
                    "HTTP/1.1 401|unauthenticated|Belum masuk");
            for (var e : expected.entrySet()) {
                try (Socket socket = new Socket("127.0.0.1", RealtimeCluster.port(node))) {
                    socket.setSoTimeout(5_000);
                    socket.getOutputStream().write(e.getKey().getBytes(StandardCharsets.ISO_8859_1));
                    String answer = readUntilClosedOrBody(socket.getInputStream());
                    String[] parts = e.getValue().split("\\|");
                    String what = e.getKey().substring(0, Math.min(40, e.getKey().length()));
                    assertThat(answer).as(what).startsWith(parts[0]).containsIgnoringCase("application/problem+json")
                            .contains("https://optikmelati.id/problems/" + parts[1])
                            .doesNotContain("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                            .doesNotContainPattern("java\\.|netty|springframework");
                    for (int i = 2; i < parts.length; i++) {
                        assertThat(answer).as(what).contains(parts[i]);
                    }
                }
            }
        } finally {
            node.close();
        }
    }

    /** What a socket got until the server closed it or one JSON body ended. */
    private static String readUntilClosedOrBody(InputStream in) {
        StringBuilder out = new StringBuilder();
        try {
            for (int c; (c = in.read()) != -1; ) {
                out.append((char) c);
                if (c == '}' && out.indexOf("\r\n\r\n{") > 0) {
                    break;
                }
            }
        } catch (java.io.IOException resetOrTimeout) {
            // what came before a reset is the answer
        }
        return out.toString();
    }

    private static int openStreams(ConfigurableApplicationContext node) {
        MeterRegistry meters = node.getBean(MeterRegistry.class);
        return (int) meters.find("optik.realtime.connections").gauges().stream().mapToDouble(g -> g.value()).sum();
    }
}
