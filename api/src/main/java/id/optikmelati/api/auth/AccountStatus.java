package id.optikmelati.api.auth;

import id.optikmelati.api.problem.ProblemHandler;
import id.optikmelati.contract.ShopPrincipal;
import java.sql.Timestamp;
import java.util.UUID;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whether a valid token's account still stands behind it: one look at the account (and the token's
 * login session) per request, so a deactivated or logged-out user's next call is refused at once,
 * and one whose password an admin reset can only set a new one.
 */
@Component
public class AccountStatus {

    /** What a token's account allows. */
    public enum Standing {
        GOOD,
        /** Deactivated, logged out, or the token was issued before its tokens were revoked. */
        REVOKED,
        /** An admin set the password: only choosing a new one is allowed. */
        MUST_CHANGE_PASSWORD,
        /** PostgreSQL cannot be reached: nobody can tell, and nothing that needs it will work either. */
        UNKNOWN
    }

    private final JdbcClient jdbc;

    AccountStatus(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Standing of(ShopPrincipal principal) {
        try {
            return read(principal);
        } catch (DataAccessException e) {
            if (e instanceof DataAccessResourceFailureException || ProblemHandler.lostTheDatabase(e)) {
                return Standing.UNKNOWN;
            }
            throw e;
        }
    }

    private Standing read(ShopPrincipal principal) {
        UUID session = null;
        if (principal.sessionId() != null) {
            try {
                session = UUID.fromString(principal.sessionId());
            } catch (IllegalArgumentException e) {
                return Standing.REVOKED;
            }
        }
        boolean inSession = session != null;
        return jdbc.sql("select u.active, u.must_change_password, u.tokens_valid_after, s.id as session_id,"
                        + " s.ended_at from app_user u left join login_session s on s.id = :session and s.user_id = u.id"
                        + " where u.id = :id")
                .param("id", principal.userId())
                .param("session", session)
                .query((rs, i) -> {
                    Timestamp validAfter = rs.getTimestamp("tokens_valid_after");
                    if (!rs.getBoolean("active")
                            || (validAfter != null && principal.issuedAt().isBefore(validAfter.toInstant()))
                            || (inSession && (rs.getObject("session_id") == null || rs.getTimestamp("ended_at") != null))) {
                        return Standing.REVOKED;
                    }
                    return rs.getBoolean("must_change_password") ? Standing.MUST_CHANGE_PASSWORD : Standing.GOOD;
                })
                .optional().orElse(Standing.REVOKED);
    }
}
