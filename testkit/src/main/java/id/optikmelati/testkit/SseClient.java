package id.optikmelati.testkit;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real SSE client over HTTP for tests: records every message; {@link #lastId()} as a browser would. */
public final class SseClient implements AutoCloseable {

    /** One SSE message, and when it was read off the wire. */
    public record Message(String id, String event, String data, Instant receivedAt) {}

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final List<Message> messages = new CopyOnWriteArrayList<>();
    /** Comment lines (heartbeats and the like), without their colon, each with when it arrived. */
    public final List<Map.Entry<String, Instant>> comments = new CopyOnWriteArrayList<>();
    private volatile String lastId;
    private volatile InputStream body;
    private volatile boolean ended;
    public final int status;
    /** The response's Content-Type; and, for a refusal (not 200), its body. */
    public final String contentType;
    public final String refusal;

    private SseClient(String url, String token, String lastEventId) throws Exception {
        this.lastId = lastEventId;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .timeout(Duration.ofMinutes(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        this.status = response.statusCode();
        this.body = response.body();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        if (status == 200) {
            this.refusal = null;
            Thread t = new Thread(this::read, "sse-client");
            t.setDaemon(true);
            t.start();
        } else {
            try (InputStream in = body) {
                this.refusal = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            ended = true;
        }
    }

    public static SseClient open(String url, String token, String lastEventId) throws Exception {
        return new SseClient(url, token, lastEventId);
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (event != null || !data.isEmpty()) {
                        messages.add(new Message(id, event == null ? "message" : event, data.toString(), Instant.now()));
                        if (id != null) {
                            lastId = id;
                        }
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.add(Map.entry(line.substring(1), Instant.now()));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        } catch (Exception ignored) {
            // closed
        } finally {
            ended = true;
        }
    }

    public String lastId() {
        return lastId;
    }

    public boolean ended() {
        return ended;
    }

    public List<Message> named(String event) {
        return messages.stream().filter(m -> m.event().equals(event)).toList();
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
