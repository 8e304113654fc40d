package id.optikmelati.api.outbox;

import id.optikmelati.contract.EventType;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The outbox table as the relay reads it: the log of every branch's events. Rows waiting for Redis,
 * rows already sent (kept for {@code optik.outbox.retention}, so a stream Redis lost can be written
 * back), and the deletion of those past it.
 */
@Repository
class OutboxRows {

    private final JdbcClient jdbc;

    OutboxRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An outbox row. */
    record Row(long id, long branchId, long seq, EventType type, String payload, Instant committedAt) {}

    private static final String COLUMNS = "select id, branch_id, seq, type, payload::text as payload, committed_at"
            + " from outbox_event ";

    private List<Row> rows(JdbcClient.StatementSpec spec) {
        return spec.query((rs, i) -> new Row(rs.getLong("id"), rs.getLong("branch_id"), rs.getLong("seq"),
                        EventType.fromWireName(rs.getString("type")).orElseThrow(),
                        rs.getString("payload"), rs.getTimestamp("committed_at").toInstant()))
                .list();
    }

    List<Long> branchesWithPending() {
        return jdbc.sql("select distinct branch_id from outbox_event where published_at is null order by branch_id")
                .query(Long.class).list();
    }

    /** The branch's oldest rows not yet in Redis, in seq order. */
    List<Row> pending(long branch, int limit) {
        return rows(jdbc.sql(COLUMNS + "where branch_id = :branch and published_at is null order by seq limit :limit")
                .param("branch", branch).param("limit", limit));
    }

    /**
     * Rows already sent with {@code after < seq < before}, committed since {@code since}: the newest
     * {@code limit} of them, in seq order.
     */
    List<Row> sent(long branch, long after, long before, Instant since, int limit) {
        List<Row> newest = new java.util.ArrayList<>(rows(jdbc.sql(COLUMNS + """
                        where branch_id = :branch and seq > :after and seq < :before
                          and published_at is not null and committed_at >= :since
                        order by seq desc limit :limit
                        """)
                .param("branch", branch).param("after", after).param("before", before)
                .param("since", Timestamp.from(since)).param("limit", limit)));
        java.util.Collections.reverse(newest);
        return newest;
    }

    /** The branch's last seq Redis was given: before its oldest waiting row, or its last seq when none waits. */
    long lastSent(long branch) {
        return jdbc.sql("""
                        select coalesce((select min(seq) - 1 from outbox_event where branch_id = :branch
                                          and published_at is null),
                                        (select event_seq from branch where id = :branch))
                        """)
                .param("branch", branch).query(Long.class).single();
    }

    void markSent(List<Row> rows, Instant at) {
        jdbc.sql("update outbox_event set published_at = :now where id in (:ids)")
                .param("now", Timestamp.from(at))
                .param("ids", rows.stream().map(Row::id).toList())
                .update();
    }

    long backlog() {
        return jdbc.sql("select count(*) from outbox_event where published_at is null").query(Long.class).single();
    }

    /** Deletes up to {@code batch} sent rows committed before {@code before}; answers how many went. */
    int deleteSentBefore(Instant before, int batch) {
        return jdbc.sql("""
                        delete from outbox_event where id in (
                            select id from outbox_event where published_at is not null and committed_at < :before
                            limit :batch)
                        """)
                .param("before", Timestamp.from(before)).param("batch", batch).update();
    }
}
