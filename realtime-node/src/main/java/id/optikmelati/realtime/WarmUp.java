package id.optikmelati.realtime;

import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.EventCursor;
import id.optikmelati.contract.Role;
import id.optikmelati.realtime.admission.Admission;
import id.optikmelati.realtime.admission.ConnectRateLimiter;
import id.optikmelati.realtime.broker.EventBroker;
import id.optikmelati.realtime.screen.Endpoint;
import id.optikmelati.realtime.stream.Hub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;

/**
 * Before the node reports ready it opens streams to itself over the loopback, the way screens do:
 * new ones, and ones resuming from a Last-Event-ID a little behind each branch's head, on every
 * endpoint, through the whole path (the socket gate, admission with a signed token and a lease,
 * the hub, the replay, the close). A node starts in a rolling deploy, or while another node dies,
 * which is just when a wave of resuming screens lands on it; a JVM that has not run that path yet
 * compiles it while it serves the wave, and on a small machine the compiler then takes the CPU the
 * wave needs (BENCHMARKS.md). Readiness is published only after the runners, so the balancer sends
 * no screen here until this is done; a warm-up that fails or runs out of time is logged, and the
 * node is ready after it all the same. Its exit code is what a training run of the JDK's AOT cache
 * ends with ({@link RealtimeApplication}): 0 once every stream it was to open was served, 1 otherwise,
 * so a build does not ship a cache recorded from a warm-up that failed.
 */
final class WarmUp implements ApplicationRunner, ExitCodeGenerator {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    /**
     * Screens open at once, at most: a few per event loop, under any per-user limit (each has its own
     * user), and under the loopback's connect rate (each connect is given back once it closed).
     */
    private static final int AT_MOST_AT_ONCE = 8;
    /** Events each resumed warm-up stream replays, where the branch has that many. */
    private static final long BEHIND = 20;
    /** The warm-up's users, among the node's own, whose connects admission counts apart. */
    private static final long FIRST_USER_ID = Admission.NODE_USER_IDS_BELOW - 1_000;
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    /** After its hello, how long a resumed stream may stay silent before its replay counts as empty. */
    private static final Duration QUIET = Duration.ofMillis(100);

    private final IntSupplier port;
    private final Hub hub;
    private final EventBroker broker;
    private final ConnectRateLimiter rateLimiter;
    private final AccessTokens tokens;
    private final int streams;
    private final Duration timeout;
    private final int atOnce;
    /** Whether the warm-up has run and served every stream it was to open. */
    private volatile boolean complete;

    /** @param port the port the streams are served on, once the server listens */
    WarmUp(IntSupplier port, Hub hub, EventBroker broker, ConnectRateLimiter rateLimiter, AccessTokens tokens,
            int streams, Duration timeout) {
        this.atOnce = Math.max(1, Math.min(AT_MOST_AT_ONCE, rateLimiter.perMinute()));
        this.port = port;
        this.hub = hub;
        this.broker = broker;
        this.rateLimiter = rateLimiter;
        this.tokens = tokens;
        this.streams = streams;
        this.timeout = timeout;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        if (streams <= 0) {
            complete = true;
            return;
        }
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        List<Screen> screens;
        try {
            screens = screens(deadline);
        } catch (Exception e) {
            log.warn("warm-up skipped: the chain's branches could not be read ({})", e.toString());
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        AtomicReference<IOException> failure = new AtomicReference<>();
        ExecutorService workers = Executors.newFixedThreadPool(atOnce, r -> {
            Thread t = new Thread(r, "realtime-warm-up");
            t.setDaemon(true);
            return t;
        });
        for (int w = 0; w < atOnce; w++) {
            long userId = FIRST_USER_ID - w;
            workers.execute(() -> {
                for (int i = next.getAndIncrement(); i < streams && System.nanoTime() < deadline
                        && failure.get() == null; i = next.getAndIncrement()) {
                    try {
                        open(screens.get((i / 2) % screens.size()), userId, i % 2 == 1);
                        served.incrementAndGet();
                    } catch (IOException e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
        }
        workers.shutdown();
        if (!workers.awaitTermination(Math.max(0, deadline - System.nanoTime()) + SOCKET_TIMEOUT.toNanos(),
                TimeUnit.NANOSECONDS)) {
            workers.shutdownNow();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (failure.get() != null) {
            log.warn("warm-up stopped after {} of {} streams in {} ms: {}", served.get(), streams, millis,
                    failure.get().getMessage());
        } else if (served.get() < streams) {
            log.warn("warm-up ran out of time after {} of {} streams in {} ms", served.get(), streams, millis);
        } else {
            complete = true;
            log.info("warmed up: {} streams to itself in {} ms", served.get(), millis);
        }
    }

    @Override
    public int getExitCode() {
        return complete ? 0 : 1;
    }

    /**
     * What the warm-up opens, in turn: each endpoint as a cashier of each branch, and as a super
     * admin of the whole chain; on the stock and dashboard streams (where most events are seen) also
     * resumed a little behind the branches' heads, where they have one.
     */
    private List<Screen> screens(long deadline) throws Exception {
        long wait = Math.max(1, deadline - System.nanoTime());
        Map<Long, String> branches = hub.branches().get(wait, TimeUnit.NANOSECONDS);
        TreeMap<Long, Long> behind = new TreeMap<>();
        for (long branch : branches.keySet()) {
            Long head = broker.head(branch).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).seq();
            if (head != null && head > 0) { // with events to replay
                behind.put(branch, Math.max(0, head - BEHIND));
            }
        }
        List<Screen> screens = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            boolean resumes = endpoint == Endpoint.STOCK_UPDATES || endpoint == Endpoint.DASHBOARD;
            for (long branch : branches.keySet()) {
                Long seq = resumes ? behind.get(branch) : null;
                screens.add(new Screen(endpoint, Role.KASIR, branch,
                        seq == null ? null : EventCursor.format(new TreeMap<>(Map.of(branch, seq)))));
            }
            screens.add(new Screen(endpoint, Role.SUPER_ADMIN, null,
                    !resumes || behind.isEmpty() ? null : EventCursor.format(behind)));
        }
        return screens;
    }

    /** @param lastEventId where it resumes; null where no branch has a head yet (it opens new) */
    private record Screen(Endpoint endpoint, Role role, Long branch, String lastEventId) {}

    /** Opens one stream, reads its opening (and its replay, when resuming), and closes it. */
    private void open(Screen screen, long userId, boolean resume) throws IOException {
        String token = tokens.issue(userId, "warm-up", screen.role(), screen.branch(), Duration.ofMinutes(5));
        String lastEventId = resume ? screen.lastEventId() : null;
        StringBuilder request = new StringBuilder("GET ").append(screen.endpoint().path()).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port.getAsInt()).append("\r\n")
                .append("Accept: text/event-stream\r\n")
                .append("Authorization: Bearer ").append(token).append("\r\n");
        if (lastEventId != null) {
            request.append("Last-Event-ID: ").append(lastEventId).append("\r\n");
        }
        request.append("\r\n");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(loopback, port.getAsInt()), (int) SOCKET_TIMEOUT.toMillis());
            socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                readOpening(socket, lastEventId != null);
            } finally {
                // The node's own connect, not a client's: the loopback's rate stays that of its real clients.
                rateLimiter.giveBack(loopback.getHostAddress());
            }
        }
    }

    /**
     * Reads up to the first frame with an id (a resumed stream's replay or reset), or else the hello;
     * a resumed stream with nothing it may see in its replay ends the read once it has been quiet a moment.
     */
    private static void readOpening(Socket socket, boolean untilId) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[8192];
        while (seen.length() < 1 << 20) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                if (untilId && seen.indexOf(":connected") >= 0) {
                    return;
                }
                throw e;
            }
            if (n < 0) {
                break;
            }
            seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            if (seen.length() >= 12 && seen.indexOf("HTTP/1.1 200") != 0) {
                int eol = seen.indexOf("\r\n");
                throw new IOException("the node answered " + (eol < 0 ? seen : seen.substring(0, eol)));
            }
            boolean hello = seen.indexOf(":connected") >= 0;
            if (untilId ? seen.indexOf("\nid:") >= 0 : hello) {
                return;
            }
            if (hello) {
                socket.setSoTimeout((int) QUIET.toMillis());
            }
        }
        throw new IOException("the stream ended before its opening");
    }
}
