package id.optikmelati.realtime.wire;

import java.nio.charset.StandardCharsets;

/**
 * SSE messages as the bytes that go on the wire. An event's frame for every single-branch viewer
 * of an audience is the same bytes, so it is encoded once and written to all of them ({@link
 * LoopChunks}); framed as an HTTP/1.1 chunk too, so it goes to each socket as it is, with no
 * per-connection encoding at all. A frame is written straight into its one array: the payload is
 * copied once, not through a builder, a string and an encoder.
 */
public final class SseFrames {

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private SseFrames() {}

    /** An event message ({@code data} is UTF-8 JSON) as one HTTP/1.1 chunk. */
    public static byte[] eventChunk(String id, String name, byte[] data) {
        StringBuilder fields = new StringBuilder(48);
        if (id != null && !id.isEmpty()) {
            fields.append("id:").append(id).append('\n');
        }
        fields.append("event:").append(name).append('\n');
        return frame(fields, data, true);
    }

    /** A control message (reset, reconnect, omset figure, retry) as one HTTP/1.1 chunk. */
    static byte[] controlChunk(SseMessage m) {
        return control(m, true);
    }

    /** A control message as it is, for a response body the HTTP encoder frames itself. */
    static byte[] encode(SseMessage m) {
        return control(m, false);
    }

    /** A comment (a heartbeat) as one HTTP/1.1 chunk. */
    public static byte[] commentChunk(String comment) {
        return frame(comment(new StringBuilder(), comment), null, true);
    }

    private static byte[] control(SseMessage m, boolean chunked) {
        StringBuilder fields = new StringBuilder(64);
        if (m.retry() != null) {
            fields.append("retry:").append(m.retry().toMillis()).append('\n');
        }
        if (m.id() != null && !m.id().isEmpty()) {
            fields.append("id:").append(m.id()).append('\n');
        }
        if (m.event() != null) {
            fields.append("event:").append(m.event()).append('\n');
        }
        if (m.comment() != null) {
            comment(fields, m.comment());
        }
        return frame(fields, m.data(), chunked);
    }

    private static StringBuilder comment(StringBuilder sb, String comment) {
        for (String line : comment.split("\n", -1)) {
            sb.append(':').append(line).append('\n');
        }
        return sb;
    }

    /**
     * The message: its field lines, one {@code data:} line per line of {@code data} (none if null),
     * and the blank line that ends it; as an HTTP/1.1 chunk (size in hex, CRLF, message, CRLF) if
     * asked. A newline byte never occurs inside a multi-byte UTF-8 character, so lines split on bytes.
     */
    private static byte[] frame(CharSequence fields, byte[] data, boolean chunked) {
        byte[] head = fields.toString().getBytes(StandardCharsets.UTF_8);
        int lines = 0;
        if (data != null) {
            lines = 1;
            for (byte b : data) {
                if (b == '\n') {
                    lines++;
                }
            }
        }
        // Each line is "data:" + its bytes + '\n'; the data's own newlines become those line ends.
        int size = head.length + (data == null ? 0 : lines * DATA.length + data.length + 1) + 1;
        byte[] prefix = chunked ? (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII) : new byte[0];
        byte[] out = new byte[prefix.length + size + (chunked ? 2 : 0)];
        int p = put(out, 0, prefix, 0, prefix.length);
        p = put(out, p, head, 0, head.length);
        if (data != null) {
            int start = 0;
            for (int i = 0; i <= data.length; i++) {
                if (i == data.length || data[i] == '\n') {
                    p = put(out, p, DATA, 0, DATA.length);
                    p = put(out, p, data, start, i - start);
                    out[p++] = '\n';
                    start = i + 1;
                }
            }
        }
        out[p++] = '\n';
        if (chunked) {
            out[p++] = '\r';
            out[p++] = '\n';
        }
        return out;
    }

    private static int put(byte[] out, int at, byte[] from, int offset, int length) {
        System.arraycopy(from, offset, out, at, length);
        return at + length;
    }
}
