package id.optikmelati.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final AccessTokens tokens = new AccessTokens(SECRET, clock);

    @Test
    void verifiesWhatItIssues() {
        String token = tokens.issue(4, "kasir1", Role.KASIR, 1L, Duration.ofHours(1));
        ShopPrincipal p = tokens.verify(token);
        assertThat(p.userId()).isEqualTo(4);
        assertThat(p.username()).isEqualTo("kasir1");
        assertThat(p.role()).isEqualTo(Role.KASIR);
        assertThat(p.branchId()).isEqualTo(1L);
        assertThat(p.mayAccessBranch(1)).isTrue();
        assertThat(p.mayAccessBranch(2)).isFalse();
        assertThat(tokens.verify(tokens.issue(1, "superadmin", Role.SUPER_ADMIN, null, Duration.ofHours(1)))
                .mayAccessBranch(2)).isTrue();
    }

    @Test
    void refusesExpiredForgedAndUnsignedTokens() {
        String expired = new AccessTokens(SECRET, Clock.offset(clock, Duration.ofHours(-2)))
                .issue(4, "kasir1", Role.KASIR, 1L, Duration.ofHours(1));
        assertThatThrownBy(() -> tokens.verify(expired)).hasMessageContaining("expired");

        String otherKey = new AccessTokens("another-secret-another-secret-another", clock)
                .issue(4, "kasir1", Role.KASIR, 1L, Duration.ofHours(1));
        assertThatThrownBy(() -> tokens.verify(otherKey)).hasMessageContaining("signature");

        String good = tokens.issue(4, "kasir1", Role.KASIR, 1L, Duration.ofHours(1));
        String[] parts = good.split("\\.");
        String noneHeader = b64("{\"alg\":\"none\"}");
        assertThatThrownBy(() -> tokens.verify(noneHeader + "." + parts[1] + ".")).isInstanceOf(AccessTokens.InvalidTokenException.class);

        // Same signature, claims changed to another branch: the signature no longer matches.
        String forgedClaims = b64(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"branch\":1", "\"branch\":2"));
        assertThatThrownBy(() -> tokens.verify(parts[0] + "." + forgedClaims + "." + parts[2]))
                .isInstanceOf(AccessTokens.InvalidTokenException.class);

        for (String junk : new String[] {"", "abc", "a.b.c", "x".repeat(5000)}) {
            assertThatThrownBy(() -> tokens.verify(junk)).isInstanceOf(AccessTokens.InvalidTokenException.class);
        }
    }

    @Test
    void refusesShortSecrets() {
        assertThatThrownBy(() -> new AccessTokens("short", clock)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
