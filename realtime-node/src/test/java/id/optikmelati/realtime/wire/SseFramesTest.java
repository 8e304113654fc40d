package id.optikmelati.realtime.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The wire bytes, exactly: a wrong chunk size would leave every later frame of the stream unreadable. */
class SseFramesTest {

    @Test
    void anEventIsOneChunkWhoseSizeCountsBytesNotCharacters() {
        byte[] data = "{\"cabang\":\"Bogor – Timur\"}".getBytes(StandardCharsets.UTF_8); // an en dash: 3 bytes
        String message = "id:1:5\nevent:stock\ndata:{\"cabang\":\"Bogor – Timur\"}\n\n";
        int size = message.getBytes(StandardCharsets.UTF_8).length;

        assertThat(text(SseFrames.eventChunk("1:5", "stock", data)))
                .isEqualTo(Integer.toHexString(size) + "\r\n" + message + "\r\n");
    }

    @Test
    void eachLineOfDataIsItsOwnDataLine() {
        byte[] data = "first\nsecond\n".getBytes(StandardCharsets.UTF_8);

        String message = "event:notification\ndata:first\ndata:second\ndata:\n\n"; // no id before the first event

        assertThat(text(SseFrames.eventChunk("", "notification", data))).isEqualTo("31\r\n" + message + "\r\n");
        assertThat(message).hasSize(0x31);
    }

    @Test
    void controlMessagesCarryRetryIdEventCommentAndData() {
        SseMessage reset = new SseMessage("1:7,2:3", "reset", Duration.ofMillis(1500),
                "{\"reason\":\"history-trimmed\"}".getBytes(StandardCharsets.UTF_8), "dari awal");
        String message = "retry:1500\nid:1:7,2:3\nevent:reset\n:dari awal\ndata:{\"reason\":\"history-trimmed\"}\n\n";

        assertThat(text(reset.bytes())).isEqualTo(message);
        assertThat(text(reset.chunk()))
                .isEqualTo(Integer.toHexString(message.length()) + "\r\n" + message + "\r\n");
    }

    @Test
    void aHeartbeatIsACommentChunk() {
        assertThat(text(SseFrames.commentChunk("heartbeat"))).isEqualTo("c\r\n:heartbeat\n\n\r\n");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
