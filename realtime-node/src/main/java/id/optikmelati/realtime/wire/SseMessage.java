package id.optikmelati.realtime.wire;

import java.time.Duration;

/**
 * One SSE message that is not a live event (those are framed once per audience, see {@link
 * SseFrames#eventChunk}): the stream's first frame, a reset, a reconnect, the first omset figure.
 *
 * @param id the cursor it carries; null or empty for none (before any snapshot exists)
 * @param event the event name; null for a bare comment or retry
 * @param retry the reconnect delay the browser should use from now on; null to leave it
 * @param data UTF-8 JSON, or null
 * @param comment a comment line, or null
 */
public record SseMessage(String id, String event, Duration retry, byte[] data, String comment) {

    /** As one HTTP/1.1 chunk, for a stream the connection writes itself. */
    public byte[] chunk() {
        return SseFrames.controlChunk(this);
    }

    /** As it is, for a response body the HTTP encoder frames itself (the stream's first frame). */
    public byte[] bytes() {
        return SseFrames.encode(this);
    }
}
