package id.optikmelati.api.dayclose;

import id.optikmelati.api.problem.ApiProblem;
import java.time.LocalDate;
import org.springframework.stereotype.Component;

/**
 * Whether a branch's business day is closed: what refuses a sale, a return or a pickup booked on it.
 * Asked after the change's event was appended, so under the branch's lock, which a close takes too:
 * a sale either committed before the close counted it, or sees the close and rolls back.
 */
@Component
public class ClosedDays {

    private final DayCloseRepository closes;

    ClosedDays(DayCloseRepository closes) {
        this.closes = closes;
    }

    public boolean isClosed(long branch, LocalDate date) {
        return closes.isClosed(branch, date);
    }

    /** A 409 in the caller's language if the day is closed; call it under the branch's lock. */
    public void refuseIfClosed(long branch, LocalDate date) {
        if (closes.isClosed(branch, date)) {
            throw ApiProblem.conflict("day-closed", date);
        }
    }
}
