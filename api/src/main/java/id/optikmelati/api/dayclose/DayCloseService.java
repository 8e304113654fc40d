package id.optikmelati.api.dayclose;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.outbox.OutboxWriter;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.Payloads.DayFigures;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * End of day (tutup hari): an admin counts the drawer and closes the branch's business day. The
 * figures are read under the branch's lock and fixed; from then on a sale, return or pickup of that
 * day is refused ({@link ClosedDays}) until an admin reopens it, which is logged with a reason.
 */
@Service
class DayCloseService {

    private final DayCloseRepository closes;
    private final BranchRepository branches;
    private final BranchAccess branchAccess;
    private final OutboxWriter outbox;
    private final Clock clock;
    private final ZoneId zone;

    DayCloseService(DayCloseRepository closes, BranchRepository branches, BranchAccess branchAccess,
            OutboxWriter outbox, Clock clock, ShopProperties properties) {
        this.closes = closes;
        this.branches = branches;
        this.branchAccess = branchAccess;
        this.outbox = outbox;
        this.clock = clock;
        this.zone = properties.zone();
    }

    /** A day as an admin sees it: closed with its fixed figures, or open with its figures so far. */
    record Day(long branchId, String branchName, LocalDate date, boolean closed, DayFigures figures, String note,
            String closedBy, Instant closedAt, List<DayCloseRepository.LogEntry> log) {}

    @Transactional(readOnly = true)
    Day day(ShopPrincipal user, long branch, LocalDate date) {
        requireAdmin(user, branch);
        LocalDate day = date == null ? today() : date;
        String name = branches.findById(branch).orElseThrow().getName();
        var stored = closes.find(branch, day);
        if (stored.isPresent() && stored.get().closed()) {
            var s = stored.get();
            return new Day(branch, name, day, true, s.figures(), s.note(), s.closedBy(), s.closedAt(), closes.log(branch, day));
        }
        return new Day(branch, name, day, false, closes.figures(branch, day, zone, 0), null, null, null,
                closes.log(branch, day));
    }

    @Transactional
    Day close(ShopPrincipal user, long branch, LocalDate date, long cashCounted, String note) {
        requireAdmin(user, branch);
        if (date.isAfter(today())) {
            throw ApiProblem.badRequest("day-close-future");
        }
        Instant now = clock.instant();
        String name = branches.findById(branch).orElseThrow().getName();
        AtomicReference<DayFigures> fixed = new AtomicReference<>();
        // the event takes the branch's lock first: every sale of the day before it is counted, none after
        outbox.append(branch, EventType.DAY_CHANGED, () -> {
            if (closes.isClosed(branch, date)) {
                throw ApiProblem.conflict("day-already-closed");
            }
            fixed.set(closes.figures(branch, date, zone, cashCounted));
            return new Payloads.DayChanged(branch, name, date, true, fixed.get(), user.username(), now);
        });
        closes.close(branch, date, fixed.get(), note == null ? "" : note.trim(), user.userId(), now);
        return day(user, branch, date);
    }

    @Transactional
    Day reopen(ShopPrincipal user, long branch, LocalDate date, String reason) {
        requireAdmin(user, branch);
        Instant now = clock.instant();
        String name = branches.findById(branch).orElseThrow().getName();
        outbox.append(branch, EventType.DAY_CHANGED, () -> {
            if (!closes.isClosed(branch, date)) {
                throw ApiProblem.conflict("day-not-closed");
            }
            return new Payloads.DayChanged(branch, name, date, false, null, user.username(), now);
        });
        closes.reopen(branch, date, reason.trim(), user.userId(), now);
        return day(user, branch, date);
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(zone));
    }

    private void requireAdmin(ShopPrincipal user, long branch) {
        branchAccess.requireExists(branch);
        branchAccess.check(user, branch);
        if (!user.role().isAdmin()) {
            throw ApiProblem.forbidden("day-close-admin-only");
        }
    }
}
