package id.optikmelati.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EventCursorTest {

    @Test
    void parsesSingleAndMultiBranchIds() {
        assertThat(EventCursor.parse("1:45")).contains(EventCursor.of(Map.of(1L, 45L)));
        assertThat(EventCursor.parse("1:45,2:0,30:7").orElseThrow().positions())
                .containsExactly(Map.entry(1L, 45L), Map.entry(2L, 0L), Map.entry(30L, 7L));
    }

    @Test
    void rejectsMalformedIds() {
        for (String bad : new String[] {"", ",", "1", "1:", ":5", "1:-5", "-1:5", "0:5", "1:5,", "1:5,1:6",
                "2:5,1:6", "1:5:6", "a:b", "1: 5", " 1:5", "1:5;2:6", "1:99999999999999999999", "1:0x10",
                "1:٣"}) {
            assertThat(EventCursor.parse(bad)).as(bad).isEmpty();
        }
        assertThat(EventCursor.parse(null)).isEmpty();
        assertThat(EventCursor.parse("1:1,".repeat(5000))).isEmpty();
    }

    @Property
    void roundTripsEveryCursor(@ForAll("cursors") Map<Long, Long> positions) {
        EventCursor cursor = EventCursor.of(positions);
        assertThat(EventCursor.parse(cursor.toString())).contains(cursor);
    }

    @Property(tries = 2000)
    void neverThrowsOnArbitraryText(@ForAll @Size(max = 64) String text) {
        Optional<EventCursor> parsed = EventCursor.parse(text);
        parsed.ifPresent(c -> assertThat(c.toString()).isEqualTo(text));
    }

    @Property(tries = 2000)
    void neverThrowsOnCursorLikeText(@ForAll("cursorLike") String text) {
        Optional<EventCursor> parsed = EventCursor.parse(text);
        parsed.ifPresent(c -> assertThat(EventCursor.parse(c.toString())).contains(c));
    }

    @Property
    void withAdvancesOneBranch(@ForAll("cursors") Map<Long, Long> positions,
            @ForAll @LongRange(min = 1, max = 1000) long branch, @ForAll @LongRange(min = 0) long seq) {
        EventCursor next = EventCursor.of(positions).with(branch, seq);
        assertThat(next.seqOf(branch)).contains(seq);
        positions.forEach((b, s) -> {
            if (b != branch) {
                assertThat(next.seqOf(b)).contains(s);
            }
        });
    }

    @Provide
    Arbitrary<Map<Long, Long>> cursors() {
        return Arbitraries.maps(Arbitraries.longs().between(1, 100_000), Arbitraries.longs().between(0, Long.MAX_VALUE / 10))
                .ofMinSize(1).ofMaxSize(50);
    }

    @Provide
    Arbitrary<String> cursorLike() {
        return Arbitraries.strings().withChars("0123456789:,-").ofMaxLength(40);
    }
}
