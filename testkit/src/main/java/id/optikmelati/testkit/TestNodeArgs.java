package id.optikmelati.testkit;

import java.util.List;

/**
 * The command-line arguments every test harness runs our nodes with: demo data and the shared
 * secret, on the given servers, with the per-address and per-user limits lifted (tests open many
 * streams and log in often, all from one address); or, for the load tests, with the limits a
 * deployment has ({@code ...AsDeployed}). Tests start many nodes, so theirs skip the warm-up (which is
 * tested on its own); a deployment's warms up.
 */
public final class TestNodeArgs {

    private TestNodeArgs() {}

    /** An API node on this JVM's PostgreSQL ({@link SharedServers}). */
    public static List<String> api(String redisUrl, String secret) {
        return api(SharedServers.postgresJdbcUrl(), SharedServers.postgresUser(), SharedServers.postgresPassword(),
                redisUrl, secret);
    }

    public static List<String> api(String jdbcUrl, String dbUser, String dbPassword, String redisUrl, String secret) {
        return with(apiAsDeployed(jdbcUrl, dbUser, dbPassword, redisUrl, secret),
                List.of("--optik.auth.login-attempts-per-ip-per-minute=1000000"));
    }

    public static List<String> realtime(String redisUrl, String secret) {
        return with(realtimeAsDeployed(redisUrl, secret), List.of(
                "--optik.realtime.connections-per-user=1000000",
                "--optik.realtime.connects-per-ip-per-minute=1000000",
                "--optik.realtime.warm-up-streams=0"));
    }

    /** An API node with the limits of a deployment (logins per address): what the load tests run against. */
    public static List<String> apiAsDeployed(String redisUrl, String secret) {
        return apiAsDeployed(SharedServers.postgresJdbcUrl(), SharedServers.postgresUser(),
                SharedServers.postgresPassword(), redisUrl, secret);
    }

    public static List<String> apiAsDeployed(String jdbcUrl, String dbUser, String dbPassword, String redisUrl,
            String secret) {
        return List.of(
                "--spring.profiles.active=demo",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + dbUser,
                "--spring.datasource.password=" + dbPassword,
                "--optik.redis.url=" + redisUrl,
                "--optik.auth.jwt-secret=" + secret);
    }

    /** A realtime node with the limits of a deployment (streams per user, connects per address). */
    public static List<String> realtimeAsDeployed(String redisUrl, String secret) {
        return List.of(
                "--spring.profiles.active=demo",
                "--optik.realtime.redis-url=" + redisUrl,
                "--optik.realtime.jwt-secret=" + secret);
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
