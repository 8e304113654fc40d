package id.optikmelati.realtime.stream;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.realtime.screen.Conflation.Key;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a slow screen is sent once its socket drains: newest values, every notification, in order. */
class BacklogTest {

    private static final Key FRAME = new Key(1, 101);
    private static final Key LENS = new Key(1, 102);
    private static final Key OMSET = new Key(1, 0);

    private final Backlog backlog = new Backlog(10);

    private void add(String chunk, Key... keys) {
        assertThat(backlog.add(chunk.getBytes(StandardCharsets.UTF_8), 0, List.of(keys))).isTrue();
    }

    private List<String> sent() {
        List<String> out = new ArrayList<>();
        for (Backlog.Entry e; (e = backlog.poll()) != null; ) {
            out.add(new String(e.chunk, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void aStockLevelGivesWayToANewerOneOfTheSameProductOnly() {
        add("frame 9", FRAME);
        add("lens 4", LENS);
        add("frame 8", FRAME);
        add("frame 7", FRAME);
        assertThat(sent()).containsExactly("lens 4", "frame 7");
        assertThat(backlog.skipped()).isEqualTo(2);
    }

    @Test
    void aMessageOfSeveralProductsStaysUntilEachOfThemHasANewerValue() {
        add("frame 9 + lens 4", FRAME, LENS);
        add("frame 8", FRAME);
        assertThat(backlog.size()).isEqualTo(2);
        add("lens 3", LENS);
        assertThat(sent()).containsExactly("frame 8", "lens 3");
    }

    @Test
    void notificationsAreNeverSkippedAndKeepTheirPlace() {
        add("omset 100", OMSET);
        add("new sale 1");
        add("omset 200", OMSET);
        add("new sale 2");
        add("omset 300", OMSET);
        assertThat(sent()).containsExactly("new sale 1", "new sale 2", "omset 300");
    }

    @Test
    void aValueSentMeanwhileIsNotSkippedLater() {
        add("frame 9", FRAME);
        assertThat(sent()).containsExactly("frame 9");
        add("frame 8", FRAME);
        assertThat(sent()).containsExactly("frame 8");
        assertThat(backlog.skipped()).isZero();
    }

    @Test
    void theCapacityCountsWhatWaitsAfterConflation() {
        for (int i = 0; i < 100; i++) {
            add("frame " + i, FRAME); // one waits, however many came
        }
        for (int i = 0; i < 9; i++) {
            add("new sale " + i);
        }
        assertThat(backlog.size()).isEqualTo(10);
        assertThat(backlog.add("one too many".getBytes(StandardCharsets.UTF_8), 0, List.of())).isFalse();
    }
}
