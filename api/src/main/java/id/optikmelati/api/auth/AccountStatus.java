package id.optikmelati.api.auth;

import id.optikmelati.api.problem.ProblemHandler;
import id.optikmelati.contract.ShopPrincipal;
import java.sql.Timestamp;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whether a valid token's account still stands behind it: one look at the account per request,
 * so a deactivated user's next call is refused at once, and one whose password an admin reset can
 * only set a new one.
 */
@Component
public class AccountStatus {

    /** What a token's account allows. */
    public enum Standing {
        GOOD,
        /** Deactivated, or the token was issued before its tokens were revoked. */
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
        return jdbc.sql("select active, must_change_password, tokens_valid_after from app_user where id = :id")
                .param("id", principal.userId())
                .query((rs, i) -> {
                    Timestamp validAfter = rs.getTimestamp("tokens_valid_after");
                    if (!rs.getBoolean("active")
                            || (validAfter != null && principal.issuedAt().isBefore(validAfter.toInstant()))) {
                        return Standing.REVOKED;
                    }
                    return rs.getBoolean("must_change_password") ? Standing.MUST_CHANGE_PASSWORD : Standing.GOOD;
                })
                .optional().orElse(Standing.REVOKED);
    }
}
