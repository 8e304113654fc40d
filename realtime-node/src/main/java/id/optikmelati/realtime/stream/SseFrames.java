package id.optikmelati.realtime.stream;

import java.nio.charset.StandardCharsets;
import org.springframework.http.codec.ServerSentEvent;

/**
 * SSE messages as the bytes that go on the wire. An event's frame for every single-branch viewer
 * of an audience is the same bytes, so it is encoded once and written to all of them ({@link
 * LoopChunks}); framed as an HTTP/1.1 chunk too, so it goes to each socket as it is, with no
 * per-connection encoding at all.
 */
final class SseFrames {

    private SseFrames() {}

    static byte[] event(String id, String name, String data) {
        StringBuilder sb = new StringBuilder(data.length() + 48);
        if (id != null && !id.isEmpty()) {
            sb.append("id:").append(id).append('\n');
        }
        sb.append("event:").append(name).append('\n');
        data(sb, data);
        return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A control message (reset, reconnect, omset figure, heartbeat comment, retry). */
    static byte[] encode(ServerSentEvent<String> e) {
        StringBuilder sb = new StringBuilder(128);
        if (e.retry() != null) {
            sb.append("retry:").append(e.retry().toMillis()).append('\n');
        }
        if (e.id() != null) {
            sb.append("id:").append(e.id()).append('\n');
        }
        if (e.event() != null) {
            sb.append("event:").append(e.event()).append('\n');
        }
        if (e.comment() != null) {
            for (String line : e.comment().split("\n", -1)) {
                sb.append(':').append(line).append('\n');
            }
        }
        if (e.data() != null) {
            data(sb, e.data());
        }
        return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A message framed as one HTTP/1.1 chunk: its size in hex, CRLF, the message, CRLF. */
    static byte[] chunk(byte[] message) {
        byte[] size = (Integer.toHexString(message.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[size.length + message.length + 2];
        System.arraycopy(size, 0, chunk, 0, size.length);
        System.arraycopy(message, 0, chunk, size.length, message.length);
        chunk[chunk.length - 2] = '\r';
        chunk[chunk.length - 1] = '\n';
        return chunk;
    }

    private static void data(StringBuilder sb, String data) {
        int start = 0;
        for (int nl; (nl = data.indexOf('\n', start)) >= 0; start = nl + 1) {
            sb.append("data:").append(data, start, nl).append('\n');
        }
        sb.append("data:").append(data, start, data.length()).append('\n');
    }
}
