package id.optikmelati.api.outbox;

import id.optikmelati.contract.EventCursor;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where each branch's event sequence stands, as an SSE cursor. Read in the same REPEATABLE READ
 * transaction as a page's data, it names exactly the events that data already reflects: a screen
 * that opens its stream from this cursor gets every later change, and nothing it already shows.
 */
@Component
public class EventPositions {

    /** The response header that carries the cursor next to JSON data. */
    public static final String HEADER = "Event-Cursor";

    private final JdbcClient jdbc;

    EventPositions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public String cursor(Collection<Long> branchIds) {
        Map<Long, Long> positions = new TreeMap<>();
        jdbc.sql("select id, event_seq from branch where id in (:ids)")
                .param("ids", branchIds)
                .query((rs, i) -> positions.put(rs.getLong("id"), rs.getLong("event_seq")))
                .list();
        return EventCursor.of(positions).toString();
    }
}
