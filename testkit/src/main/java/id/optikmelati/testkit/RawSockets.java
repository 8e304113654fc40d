package id.optikmelati.testkit;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Bare TCP sockets as an idle, slow or hostile client holds them. */
public final class RawSockets {

    private RawSockets() {}

    /**
     * Whether the server closed the socket having sent nothing, within the socket's read timeout: a
     * reset counts, as a server that closes with bytes of ours unread sends one.
     */
    public static boolean closedWithoutAnswer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /**
     * An attacker's sockets on one server: {@code idle} that never send a byte, and {@code slow} that
     * send the head of a GET of {@code path} and then one more header byte every half second, never
     * finishing it (slowloris). Closing it closes them all.
     */
    public static final class SlowClients implements AutoCloseable {

        private final List<Socket> all = new ArrayList<>();
        private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

        public SlowClients(int port, String path, int idle, int slow) throws IOException {
            List<Socket> slowloris = new ArrayList<>();
            try {
                for (int i = 0; i < Math.max(idle, slow); i++) {
                    if (i < idle) {
                        all.add(new Socket("127.0.0.1", port));
                    }
                    if (i < slow) {
                        Socket s = new Socket("127.0.0.1", port);
                        all.add(s);
                        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        slowloris.add(s);
                    }
                }
            } catch (IOException e) {
                close();
                throw e;
            }
            trickle.scheduleAtFixedRate(() -> slowloris.forEach(s -> {
                try {
                    s.getOutputStream().write('a');
                } catch (IOException closed) {
                    // closed by the server: what a test of this waits for
                }
            }), 0, 500, TimeUnit.MILLISECONDS);
        }

        public List<Socket> sockets() {
            return List.copyOf(all);
        }

        @Override
        public void close() {
            trickle.shutdownNow();
            for (Socket s : all) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
