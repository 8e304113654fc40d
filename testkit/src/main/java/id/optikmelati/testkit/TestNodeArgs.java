package id.optikmelati.testkit;

import java.util.List;

/**
 * The command-line arguments every test harness runs our nodes with: demo data and the shared
 * secret, on the given servers, with the per-address and per-user limits lifted (tests open many
 * streams and log in often, all from one address).
 */
public final class TestNodeArgs {

    private TestNodeArgs() {}

    /** An API node on this JVM's PostgreSQL ({@link SharedServers}). */
    public static List<String> api(String redisUrl, String secret) {
        return api(SharedServers.postgresJdbcUrl(), SharedServers.postgresUser(), SharedServers.postgresPassword(),
                redisUrl, secret);
    }

    public static List<String> api(String jdbcUrl, String dbUser, String dbPassword, String redisUrl, String secret) {
        return List.of(
                "--spring.profiles.active=demo",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + dbUser,
                "--spring.datasource.password=" + dbPassword,
                "--optik.redis.url=" + redisUrl,
                "--optik.auth.jwt-secret=" + secret,
                "--optik.auth.login-attempts-per-ip-per-minute=1000000");
    }

    public static List<String> realtime(String redisUrl, String secret) {
        return List.of(
                "--spring.profiles.active=demo",
                "--optik.realtime.redis-url=" + redisUrl,
                "--optik.realtime.jwt-secret=" + secret,
                "--optik.realtime.connections-per-user=1000000",
                "--optik.realtime.connects-per-ip-per-minute=1000000");
    }

    /**
     * {@code base} with {@code overrides} applied: an override of an option already there replaces it
     * (Spring would otherwise see both values of a repeated option).
     */
    public static List<String> with(List<String> base, List<String> overrides) {
        java.util.Map<String, String> byKey = new java.util.LinkedHashMap<>();
        for (String arg : base) {
            byKey.put(key(arg), arg);
        }
        for (String arg : overrides) {
            byKey.put(key(arg), arg);
        }
        return List.copyOf(byKey.values());
    }

    private static String key(String arg) {
        int eq = arg.indexOf('=');
        return eq < 0 ? arg : arg.substring(0, eq);
    }
}
