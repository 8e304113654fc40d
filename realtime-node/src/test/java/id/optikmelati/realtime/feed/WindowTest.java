package id.optikmelati.realtime.feed;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.realtime.TestEvents;
import id.optikmelati.realtime.screen.Deliverable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window answers a reconnect only when it holds every event after the screen's seq. */
class WindowTest {

    /** A window of capacity 5 that was given seqs {@code from}..{@code to}. */
    private static Window window(long from, long to) {
        Window w = new Window(5);
        for (long s = from; s <= to; s++) {
            w.add(new Deliverable(TestEvents.stock(1, s)));
        }
        return w;
    }

    private static List<Long> seqs(List<Deliverable> events) {
        return events.stream().map(d -> d.event().seq()).toList();
    }

    @Test
    void aScreenThatSawTheLastEventGetsNothingToReplay() {
        assertThat(window(11, 15).after(15, 15)).isEmpty();
    }

    @Test
    void aScreenAtTheLastEventGetsNothingEvenFromAnEmptyWindow() {
        assertThat(new Window(0).after(15, 15)).isEmpty();
    }

    @Test
    void aScreenJustBeforeTheOldestEventGetsAllOfThem() {
        assertThat(seqs(window(11, 15).after(10, 15))).containsExactly(11L, 12L, 13L, 14L, 15L);
    }

    @Test
    void aScreenInsideTheWindowGetsWhatCameAfterIt() {
        assertThat(seqs(window(11, 15).after(13, 15))).containsExactly(14L, 15L);
    }

    @Test
    void aScreenOlderThanTheWindowMustGoToHistory() {
        assertThat(window(11, 15).after(9, 15)).isNull();
    }

    @Test
    void aScreenAheadOfTheFeedCannotBeServedFromTheWindow() {
        assertThat(window(11, 15).after(16, 15)).isNull();
    }

    @Test
    void anEmptyWindowServesNoOneBehind() {
        assertThat(new Window(5).after(3, -1)).isNull();
    }

    @Test
    void aFullWindowDropsItsOldestAndNoLongerServesIt() {
        Window w = window(11, 15);
        assertThat(w.add(new Deliverable(TestEvents.stock(1, 16)))).isFalse();
        assertThat(w.size()).isEqualTo(5);
        assertThat(w.after(10, 16)).isNull();
        assertThat(seqs(w.after(11, 16))).containsExactly(12L, 13L, 14L, 15L, 16L);
    }
}
