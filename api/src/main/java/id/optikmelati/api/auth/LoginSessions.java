package id.optikmelati.api.auth;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The login sessions in PostgreSQL: opened at login, renewed by the page, ended by a logout. */
@Repository
public class LoginSessions {

    /** One session as stored. */
    public record Session(UUID id, long userId, Instant expiresAt, Instant endedAt) {
        boolean expired(Instant now) {
            return !expiresAt.isAfter(now);
        }
    }

    private static final org.springframework.jdbc.core.RowMapper<Session> SESSION = (rs, i) -> new Session(
            rs.getObject("id", UUID.class), rs.getLong("user_id"), rs.getTimestamp("expires_at").toInstant(),
            rs.getTimestamp("ended_at") == null ? null : rs.getTimestamp("ended_at").toInstant());

    private final JdbcClient jdbc;
    private final Clock clock;

    LoginSessions(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A new session of {@code userId} that may be renewed for {@code lifetime} from now. */
    public Session open(long userId, Duration lifetime) {
        Instant now = clock.instant();
        Session session = new Session(UUID.randomUUID(), userId, now.plus(lifetime), null);
        jdbc.sql("insert into login_session (id, user_id, started_at, renewed_at, expires_at)"
                        + " values (:id, :user, :now, :now, :expires)")
                .param("id", session.id()).param("user", userId).param("now", Timestamp.from(now))
                .param("expires", Timestamp.from(session.expiresAt())).update();
        return session;
    }

    public Optional<Session> find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return jdbc.sql("select id, user_id, expires_at, ended_at from login_session where id = :id")
                .param("id", uuid)
                .query(SESSION)
                .optional();
    }

    public void renewed(UUID id) {
        jdbc.sql("update login_session set renewed_at = :now where id = :id")
                .param("now", Timestamp.from(clock.instant())).param("id", id).update();
    }

    /** Ends a session; answers it as it was, if it existed and was still going. */
    public Optional<Session> end(String id) {
        return find(id).filter(s -> s.endedAt() == null).map(s -> {
            jdbc.sql("update login_session set ended_at = :now where id = :id and ended_at is null")
                    .param("now", Timestamp.from(clock.instant())).param("id", s.id()).update();
            return s;
        });
    }

    /** Sessions ended before their absolute end, which has not come yet: their tokens must still be refused. */
    public List<Session> endedEarly() {
        return jdbc.sql("select id, user_id, expires_at, ended_at from login_session"
                        + " where ended_at is not null and expires_at > :now")
                .param("now", Timestamp.from(clock.instant()))
                .query(SESSION)
                .list();
    }

    /** Forgets sessions whose absolute end is over a day past: no token of theirs can be used or renewed. */
    public int deleteLongOver() {
        return jdbc.sql("delete from login_session where expires_at < :before")
                .param("before", Timestamp.from(clock.instant().minus(Duration.ofDays(1)))).update();
    }
}
