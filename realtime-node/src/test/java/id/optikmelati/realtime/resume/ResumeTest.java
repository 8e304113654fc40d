package id.optikmelati.realtime.resume;

import static id.optikmelati.realtime.TestEvents.stock;
import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.ScreenMessages.ResetReason;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.realtime.screen.Deliverable;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Where a stream starts, as a decision on the screen's Last-Event-ID and what the window holds. */
class ResumeTest {

    private static List<ShopEvent> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(s -> stock(1, s)).toList();
    }

    @Test
    void noIdOrABlankOneIsANewScreen() {
        assertThat(Resume.claim(null)).isInstanceOf(Resume.Fresh.class);
        assertThat(Resume.claim("  ")).isInstanceOf(Resume.Fresh.class);
    }

    @Test
    void anIdThatIsNoCursorIsMalformed() {
        for (String id : new String[] {"not-an-id", "1:", ":5", "1:5,1:6", "2:1,1:1", "1:-3", "1:5;2:3"}) {
            assertThat(Resume.claim(id)).as(id).isInstanceOf(Resume.Malformed.class);
        }
    }

    @Test
    void aCursorIsTrimmedAndReadPerBranch() {
        Resume.Claim claim = Resume.claim(" 1:45,2:37 ");
        assertThat(Resume.seenIn(claim, 1)).contains(45L);
        assertThat(Resume.seenIn(claim, 2)).contains(37L);
        assertThat(Resume.seenIn(claim, 3)).isEmpty();
    }

    @Test
    void aNewScreenStartsAtTheSnapshot() {
        assertThat(Resume.start(Resume.claim(null), 1, null)).isInstanceOf(Resume.AtSnapshot.class);
    }

    @Test
    void aMalformedIdResetsEveryBranch() {
        assertThat(Resume.start(Resume.claim("x"), 1, null)).isEqualTo(new Resume.Reset(ResetReason.MALFORMED_ID));
        assertThat(Resume.start(Resume.claim("x"), 2, List.of())).isEqualTo(new Resume.Reset(ResetReason.MALFORMED_ID));
    }

    @Test
    void aBranchTheCursorDoesNotNameStartsAtItsSnapshot() {
        // a super admin's cursor from before a branch opened
        assertThat(Resume.start(Resume.claim("1:45"), 2, null)).isInstanceOf(Resume.AtSnapshot.class);
    }

    @Test
    void aCursorTheWindowReachesReplaysFromMemory() {
        List<Deliverable> window = List.of(new Deliverable(stock(1, 46)));
        assertThat(Resume.start(Resume.claim("1:45"), 1, window)).isEqualTo(new Resume.FromWindow(45, window));
    }

    @Test
    void aCursorBeyondTheWindowReadsHistory() {
        assertThat(Resume.start(Resume.claim("1:45,2:37"), 2, null)).isEqualTo(new Resume.FromHistory(37));
    }

    @Test
    void historyThatStartsRightAfterTheCursorIsReplayed() {
        assertThat(Resume.checkHistory(45, seqs(46, 50), 10, 50L)).isEmpty();
        assertThat(Resume.checkHistory(45, List.of(), 10, 45L)).isEmpty(); // nothing missed
    }

    @Test
    void historyThatBeginsLaterThanTheNextEventIsTrimmed() {
        assertThat(Resume.checkHistory(45, seqs(48, 50), 10, 50L)).contains(ResetReason.HISTORY_TRIMMED);
    }

    @Test
    void moreMissedThanAReplayMayCarryIsTooFarBehind() {
        // history is asked for one more than the limit, so more than the limit means too far
        assertThat(Resume.checkHistory(45, seqs(46, 56), 10, null)).contains(ResetReason.TOO_FAR_BEHIND);
        assertThat(Resume.checkHistory(45, seqs(46, 55), 10, null)).isEmpty();
    }

    @Test
    void aCursorPastEverythingTheBranchPublishedIsAheadOfHistory() {
        // a database restored to an earlier point, or a forged id: without a reset every event up to it would be skipped
        assertThat(Resume.checkHistory(999_999, List.of(), 10, 50L)).contains(ResetReason.AHEAD_OF_HISTORY);
        assertThat(Resume.checkHistory(51, List.of(), 10, 50L)).contains(ResetReason.AHEAD_OF_HISTORY);
        assertThat(Resume.checkHistory(50, List.of(), 10, 50L)).isEmpty();
        assertThat(Resume.checkHistory(51, List.of(), 10, null)).isEmpty(); // no snapshot: nothing to tell it by
    }
}
