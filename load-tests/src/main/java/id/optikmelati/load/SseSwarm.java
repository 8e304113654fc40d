package id.optikmelati.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Many SSE clients on one thread (java.nio, one selector): thousands of streams on a fraction of a
 * core, so a test or benchmark measures the server, not the client. Speaks just enough HTTP/1.1
 * (a GET, a chunked or close-delimited body) and SSE ({@code id:}, {@code event:}, {@code data:}).
 * A client whose stream ends reconnects, if asked to, to the next node with its last id, as a
 * browser's EventSource does.
 */
public final class SseSwarm implements AutoCloseable {

    /** Called on the swarm's thread for every complete SSE message; keep it short. */
    public interface Listener {
        void onMessage(Client client, String id, String event, String data);
    }

    /** One stream. Fields are written by the swarm's thread and may be read from others. */
    public final class Client {
        public final int index;
        private final String path;
        private final String token;
        private volatile String lastId;
        private volatile int status;
        private volatile boolean live;
        private volatile int node;
        private volatile int connects;
        private volatile long connectStarted;
        private volatile long headersAt;
        private SocketChannel channel;
        private final Bytes head = new Bytes();
        private boolean headDone;
        private boolean chunked;
        private long chunkLeft = -1; // -1: reading a chunk-size line
        private final Bytes line = new Bytes();
        private final Bytes chunkLine = new Bytes();
        private boolean skipChunkCrlf;
        private String id;
        private String event;
        private final Bytes data = new Bytes();

        Client(int index, String path, String token, String lastId, int node) {
            this.index = index;
            this.path = path;
            this.token = token;
            this.lastId = lastId;
            this.node = node;
        }

        public String lastId() {
            return lastId;
        }

        /** HTTP status of the latest attempt (0 before the answer). */
        public int status() {
            return status;
        }

        /** Whether the stream is open now. */
        public boolean live() {
            return live;
        }

        /** Which target (index) the client is connected or connecting to. */
        public int node() {
            return node;
        }

        public int connects() {
            return connects;
        }

        /** When the latest attempt started ({@link System#nanoTime}). */
        public long connectStarted() {
            return connectStarted;
        }

        /** When its response headers were in; 0 before. */
        public long headersAt() {
            return headersAt;
        }
    }

    private final List<InetSocketAddress> targets;
    private final String path;
    private final Listener listener;
    private final boolean reconnect;
    private final List<Client> clients = Collections.synchronizedList(new ArrayList<>());
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Client> toOpen = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<long[]> delayed = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0])); // [when, index]
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final AtomicLong messages = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param targets the nodes; client i starts on node {@code i % targets.size()}
     * @param path e.g. {@code /realtime/dashboard}
     * @param reconnect whether a client whose stream ends reconnects to the next node with its last id
     */
    public SseSwarm(List<InetSocketAddress> targets, String path, boolean reconnect, Listener listener) {
        this.targets = List.copyOf(targets);
        this.path = path;
        this.reconnect = reconnect;
        this.listener = listener;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.thread = new Thread(this::run, "sse-swarm");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Opens {@code count} more streams; {@code tokenOf} gives each (by index) its access token. */
    public List<Client> open(int count, IntFunction<String> tokenOf, String lastEventId) {
        return open(path, count, tokenOf, lastEventId);
    }

    /** As {@link #open(int, IntFunction, String)}, on another path than the swarm's own. */
    public List<Client> open(String path, int count, IntFunction<String> tokenOf, String lastEventId) {
        List<Client> opened = new ArrayList<>();
        synchronized (clients) {
            for (int i = 0; i < count; i++) {
                int index = clients.size();
                Client c = new Client(index, path, tokenOf.apply(index), lastEventId, index % targets.size());
                clients.add(c);
                opened.add(c);
                toOpen.add(c);
            }
        }
        selector.wakeup();
        return opened;
    }

    public List<Client> clients() {
        synchronized (clients) {
            return List.copyOf(clients);
        }
    }

    public long messages() {
        return messages.get();
    }

    public long liveCount() {
        return clients().stream().filter(Client::live).count();
    }

    private void run() {
        while (running) {
            try {
                long now = System.nanoTime();
                long wait = 100;
                synchronized (delayed) {
                    while (!delayed.isEmpty() && delayed.peek()[0] <= now) {
                        toOpen.add(clients.get((int) delayed.poll()[1]));
                    }
                    if (!delayed.isEmpty()) {
                        wait = Math.max(1, Math.min(wait, (delayed.peek()[0] - now) / 1_000_000));
                    }
                }
                for (Client c; (c = toOpen.poll()) != null; ) {
                    connect(c);
                }
                selector.select(wait);
                for (SelectionKey key : selector.selectedKeys()) {
                    Client c = (Client) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            finishConnect(c, key);
                        } else if (key.isReadable()) {
                            read(c);
                        }
                    } catch (IOException | RuntimeException e) {
                        ended(c); // also StreamEnded
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                if (running) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void connect(Client c) {
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            c.channel = ch;
            c.headDone = false;
            c.head.reset();
            c.chunkLeft = -1;
            c.chunkLine.reset();
            c.skipChunkCrlf = false;
            c.line.reset();
            c.id = null;
            c.event = null;
            c.data.reset();
            c.status = 0;
            c.connects++;
            c.connectStarted = System.nanoTime();
            c.headersAt = 0;
            if (ch.connect(targets.get(c.node))) {
                sendRequest(c);
                ch.register(selector, SelectionKey.OP_READ, c);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            ended(c);
        }
    }

    private void finishConnect(Client c, SelectionKey key) throws IOException {
        c.channel.finishConnect();
        sendRequest(c);
        key.interestOps(SelectionKey.OP_READ);
    }

    private void sendRequest(Client c) throws IOException {
        InetSocketAddress target = targets.get(c.node);
        StringBuilder req = new StringBuilder("GET ").append(c.path).append(" HTTP/1.1\r\nHost: ")
                .append(target.getHostString()).append(':').append(target.getPort())
                .append("\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n");
        if (c.token != null) {
            req.append("Authorization: Bearer ").append(c.token).append("\r\n");
        }
        if (c.lastId != null) {
            req.append("Last-Event-ID: ").append(c.lastId).append("\r\n");
        }
        ByteBuffer out = ByteBuffer.wrap(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        for (int spins = 0; out.hasRemaining(); spins++) {
            if (c.channel.write(out) == 0 && spins > 1000) {
                throw new IOException("cannot send the request");
            }
        }
    }

    private void read(Client c) throws IOException {
        buffer.clear();
        int n = c.channel.read(buffer);
        if (n < 0) {
            ended(c);
            return;
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            if (!c.headDone) {
                c.head.write(buffer.get());
                if (endsWithBlankLine(c.head)) {
                    parseHead(c);
                    if (c.status != 200) {
                        ended(c);
                        return;
                    }
                }
            } else if (c.chunked && (c.skipChunkCrlf || c.chunkLeft < 0)) {
                chunkedByte(c, buffer.get()); // chunk-size lines: a few bytes each
            } else if (c.chunked) {
                int take = (int) Math.min(c.chunkLeft, buffer.remaining());
                sseBytes(c, take);
                c.chunkLeft -= take;
                if (c.chunkLeft == 0) {
                    c.chunkLeft = -1;
                    c.skipChunkCrlf = true;
                }
            } else {
                sseBytes(c, buffer.remaining());
            }
        }
    }

    /** The next {@code n} bytes of the buffer are SSE text: split into lines without copying byte by byte. */
    private void sseBytes(Client c, int n) {
        byte[] a = buffer.array();
        int from = buffer.position();
        int end = from + n;
        for (int i = from; i < end; i++) {
            if (a[i] == '\n') {
                c.line.write(a, from, i - from);
                sseLine(c);
                from = i + 1;
            }
        }
        c.line.write(a, from, end - from);
        buffer.position(end);
    }

    private static boolean endsWithBlankLine(Bytes head) {
        byte[] h = head.buf;
        int l = head.length;
        return l >= 4 && h[l - 1] == '\n' && h[l - 2] == '\r' && h[l - 3] == '\n' && h[l - 4] == '\r';
    }

    private void parseHead(Client c) {
        String head = new String(c.head.buf, 0, c.head.length, StandardCharsets.ISO_8859_1);
        c.headDone = true;
        c.headersAt = System.nanoTime();
        String[] first = head.substring(0, head.indexOf("\r\n")).split(" ");
        c.status = Integer.parseInt(first[1]);
        c.chunked = head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
        c.live = c.status == 200;
    }

    private void chunkedByte(Client c, byte b) {
        if (c.skipChunkCrlf) {
            if (b == '\n') {
                c.skipChunkCrlf = false;
            }
            return;
        }
        if (c.chunkLeft < 0) {
            if (b == '\n') {
                String size = c.chunkLine.string(0);
                c.chunkLine.reset();
                int semi = size.indexOf(';');
                c.chunkLeft = Long.parseLong(semi < 0 ? size : size.substring(0, semi), 16);
                if (c.chunkLeft == 0) {
                    // The last chunk: the stream is over, though the connection may be kept alive
                    // (a proxy does that). Like EventSource, reconnect.
                    c.chunkLeft = -1;
                    throw new StreamEnded();
                }
            } else {
                c.chunkLine.write(b);
            }
            return;
        }
    }

    /**
     * One SSE line, read from its bytes: only a message's data becomes a string, once, so the
     * client's own garbage does not add pauses to what it measures.
     */
    private void sseLine(Client c) {
        Bytes l = c.line;
        if (l.length > 0 && l.buf[l.length - 1] == '\r') {
            l.length--;
        }
        if (l.length == 0) {
            if (c.event != null || c.data.length > 0) {
                if (c.id != null) {
                    c.lastId = c.id;
                }
                messages.incrementAndGet();
                listener.onMessage(c, c.id, c.event == null ? "message" : c.event, c.data.string(0));
            }
            c.id = null;
            c.event = null;
            c.data.reset();
        } else if (l.startsWith(ID)) {
            c.id = l.string(ID.length);
        } else if (l.startsWith(EVENT)) {
            c.event = l.string(EVENT.length);
        } else if (l.startsWith(DATA)) {
            if (c.data.length > 0) {
                c.data.write('\n');
            }
            c.data.writeTrimmed(l, DATA.length);
        }
        l.reset();
    }

    private static final byte[] ID = "id:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    /** A growable byte buffer whose bytes are read in place. */
    private static final class Bytes {
        byte[] buf = new byte[256];
        int length;

        void write(int b) {
            ensure(1);
            buf[length++] = (byte) b;
        }

        void write(byte[] from, int offset, int n) {
            ensure(n);
            System.arraycopy(from, offset, buf, length, n);
            length += n;
        }

        /** Bytes of {@code from} after {@code offset}, without surrounding whitespace (as String.trim). */
        void writeTrimmed(Bytes from, int offset) {
            int a = offset;
            int b = from.length;
            while (a < b && (from.buf[a] & 0xff) <= ' ') {
                a++;
            }
            while (b > a && (from.buf[b - 1] & 0xff) <= ' ') {
                b--;
            }
            write(from.buf, a, b - a);
        }

        boolean startsWith(byte[] prefix) {
            if (length < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (buf[i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        String string(int offset) {
            return new String(buf, offset, length - offset, StandardCharsets.UTF_8).trim();
        }

        void reset() {
            length = 0;
        }

        private void ensure(int n) {
            if (length + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + n));
            }
        }
    }

    private void ended(Client c) {
        c.live = false;
        try {
            if (c.channel != null) {
                c.channel.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        if (reconnect && running) {
            c.node = (c.node + 1) % targets.size();
            long delayMillis = 200 + ThreadLocalRandom.current().nextLong(800);
            synchronized (delayed) {
                delayed.add(new long[] {System.nanoTime() + delayMillis * 1_000_000, c.index});
            }
        }
    }

    /** The server ended a stream (its last chunk). */
    private static final class StreamEnded extends RuntimeException {
        StreamEnded() {
            super(null, null, false, false);
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
