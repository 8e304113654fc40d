package id.optikmelati.testkit;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * What an attacker or a buggy client sends, generated (jqwik): texts with control characters, huge
 * ones, injections and odd Unicode; numbers that overflow, are negative, fractional or spelt oddly;
 * JSON values of every wrong type; stream cursors that do not parse, point ahead or repeat a branch.
 * None of them is a valid id: a suite may fire them at every endpoint without touching real rows.
 */
public final class HostileValues {

    private HostileValues() {}

    public static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars('\u0000', '\u0007', '\u001b', '\u007f', '\u0085', 'a', ' ')
                        .ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().alpha().ofMinLength(2_000).ofMaxLength(12_000),
                Arbitraries.of("<script>alert(1)</script>", "'; drop table sale; --", "${jndi:ldap://x/a}",
                        "../../etc/passwd", "..;/", "%00", "%ZZ", "%E0%A4%A", "\\", "\"", "'", "{{7*7}}", "null",
                        "undefined", "NaN", "-0", "1e309", "０１２", "١٢٣", "\u202eevil", "😀😀", "\uFEFF", "\ud800",
                        "", " ", "\t\n", "\u00a0", "true", "[]", "{}", "UMUM\u0000", "KASIR "));
    }

    /** A path segment or id parameter that is never a real row's id. */
    public static Arbitrary<String> notAnId() {
        return Arbitraries.oneOf(text().filter(s -> !s.isBlank()),
                Arbitraries.of("0", "-1", "9223372036854775808", "1.5", "1e3", "0x10", "+1", "٣", "99999999999", "1 "),
                Arbitraries.longs().lessOrEqual(0).map(String::valueOf),
                Arbitraries.longs().greaterOrEqual(10_000_000_000L).map(String::valueOf))
                .filter(s -> !s.matches("[1-9][0-9]{0,9}")); // generated text may be a real id
    }

    /** A JSON value of any type, none of them what a field expects in a usable way. */
    public static Arbitrary<Object> jsonValue() {
        return Arbitraries.oneOf(text().map(s -> (Object) s),
                Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE, -1, 0, 1.5, -0.0, 1e308,
                        new BigInteger("1" + "0".repeat(40)), true, false).map(v -> (Object) v),
                Arbitraries.just(null),
                text().list().ofMaxSize(3).map(v -> (Object) v),
                text().map(s -> (Object) Map.of("a", s)),
                Arbitraries.just(List.of(Map.of("productId", -1, "quantity", Long.MAX_VALUE))));
    }

    /** A stream cursor (Last-Event-ID) no branch ever gave out, malformed or ahead. */
    public static Arbitrary<String> cursor() {
        Arbitrary<String> pair = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(-3, 200), Arbitraries.longs().between(-10, Long.MAX_VALUE))
                .as((branch, seq) -> branch + ":" + seq);
        return Arbitraries.oneOf(text(),
                Arbitraries.of("1:999999999999999999", "1:-5", "0:0", "1:abc", "99:1", "1:1,1:2", ":", ",", "1:",
                        "1:1:1", "-1:1", "1:01", "1:9223372036854775807", "1:9223372036854775808", " 1:1"),
                pair.list().ofMinSize(1).ofMaxSize(60).map(l -> String.join(",", l)),
                Arbitraries.integers().between(100, 3_000).map(n -> "1:1,".repeat(n)));
    }

    /** {@code value} as one URL path segment or query value. */
    public static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
