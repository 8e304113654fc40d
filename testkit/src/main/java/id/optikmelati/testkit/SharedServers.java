package id.optikmelati.testkit;

/**
 * One PostgreSQL and one Redis per test JVM, started on free loopback ports on first use, so tests
 * run beside a local cluster. {@code OPTIK_TEST_POSTGRES_URL} (a JDBC URL of an empty database,
 * user from {@code OPTIK_TEST_POSTGRES_USER}) and {@code OPTIK_TEST_REDIS_URL} point at external
 * servers instead. If a server cannot start, every test that needs it fails with the reason.
 */
public final class SharedServers {

    private static PostgresServer postgres;
    private static RedisProcess redis;
    private static RuntimeException postgresFailure;
    private static RuntimeException redisFailure;

    private SharedServers() {}

    public static synchronized String postgresJdbcUrl() {
        String external = System.getenv("OPTIK_TEST_POSTGRES_URL");
        if (external != null && !external.isBlank()) {
            return external;
        }
        if (postgresFailure != null) {
            throw postgresFailure;
        }
        if (postgres == null) {
            try {
                postgres = PostgresServer.start(0, null);
            } catch (RuntimeException e) {
                postgresFailure = new IllegalStateException("PostgreSQL for tests could not start (set"
                        + " OPTIK_TEST_POSTGRES_URL to use an external one): " + e.getMessage(), e);
                throw postgresFailure;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close));
        }
        return postgres.jdbcUrl();
    }

    public static String postgresUser() {
        String external = System.getenv("OPTIK_TEST_POSTGRES_USER");
        return external != null && !external.isBlank() ? external : "postgres";
    }

    public static String postgresPassword() {
        String external = System.getenv("OPTIK_TEST_POSTGRES_PASSWORD");
        return external != null ? external : "";
    }

    public static synchronized String redisUri() {
        String external = System.getenv("OPTIK_TEST_REDIS_URL");
        if (external != null && !external.isBlank()) {
            return external;
        }
        if (redisFailure != null) {
            throw redisFailure;
        }
        if (redis == null) {
            try {
                redis = RedisProcess.start(0);
            } catch (RuntimeException e) {
                redisFailure = new IllegalStateException("Redis for tests could not start (set OPTIK_TEST_REDIS_URL"
                        + " to use an external one): " + e.getMessage(), e);
                throw redisFailure;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(redis::stop));
        }
        return redis.uri();
    }
}
