package id.optikmelati.testkit;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local cluster's PostgreSQL and Redis until stopped (used by infra/local/cluster.sh).
 * Arguments: {@code <postgresPort> <redisPort> <postgresDataDir>}; a port of -1 skips that server
 * (it is external). Prints {@code READY} once both listen.
 */
public final class LocalServers {

    private LocalServers() {}

    public static void main(String[] args) throws InterruptedException {
        int pgPort = Integer.parseInt(args[0]);
        int redisPort = Integer.parseInt(args[1]);
        Path dataDir = Path.of(args[2]);
        PostgresServer postgres = null;
        RedisProcess redis = null;
        try {
            if (pgPort >= 0) {
                postgres = PostgresServer.start(pgPort, dataDir);
                System.out.println("PostgreSQL listening on " + postgres.jdbcUrl());
            }
            if (redisPort >= 0) {
                redis = RedisProcess.start(redisPort);
                System.out.println("Redis listening on " + redis.uri());
            }
        } catch (RuntimeException e) {
            System.err.println("ERROR: " + e.getMessage());
            if (postgres != null) {
                postgres.close();
            }
            System.exit(2);
        }
        PostgresServer pg = postgres;
        RedisProcess rd = redis;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (rd != null) {
                rd.stop();
            }
            if (pg != null) {
                pg.close();
            }
        }));
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
