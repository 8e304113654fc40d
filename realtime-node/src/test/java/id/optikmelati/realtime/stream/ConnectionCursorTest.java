package id.optikmelati.realtime.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A screen gets each seq of each branch once, in order; a hole ends its stream. */
class ConnectionCursorTest {

    private final ConnectionCursor cursor = new ConnectionCursor(Set.of(3L, 1L, 2L));

    @Test
    void theFirstEventOfABranchWithNoPositionIsTheNextOne() {
        assertThat(cursor.advance(1, 40)).isEqualTo(ConnectionCursor.Step.NEXT);
        assertThat(cursor.get(1)).isEqualTo(40);
        assertThat(cursor.get(2)).isEqualTo(ConnectionCursor.UNKNOWN);
    }

    @Test
    void eachBranchMovesOnItsOwn() {
        cursor.set(1, 10);
        cursor.set(2, 5);
        assertThat(cursor.advance(1, 11)).isEqualTo(ConnectionCursor.Step.NEXT);
        assertThat(cursor.advance(2, 6)).isEqualTo(ConnectionCursor.Step.NEXT);
        assertThat(cursor.advance(1, 11)).isEqualTo(ConnectionCursor.Step.ALREADY_SENT);
        assertThat(cursor.advance(2, 3)).isEqualTo(ConnectionCursor.Step.ALREADY_SENT);
        assertThat(cursor.advance(1, 13)).isEqualTo(ConnectionCursor.Step.GAP);
        assertThat(cursor.get(1)).as("a gap does not move the cursor").isEqualTo(11);
    }

    @Test
    void anEventOfABranchOutsideTheViewIsNotTheScreens() {
        assertThat(cursor.advance(9, 1)).isEqualTo(ConnectionCursor.Step.OTHER_BRANCH);
    }

    @Test
    void theIdCarriesTheKnownPositionsInBranchOrder() {
        cursor.set(3, 7);
        cursor.set(1, 45);
        assertThat(cursor.known()).containsExactly(Map.entry(1L, 45L), Map.entry(3L, 7L));
        assertThat(id.optikmelati.contract.EventCursor.format(cursor.known())).isEqualTo("1:45,3:7");
    }
}
