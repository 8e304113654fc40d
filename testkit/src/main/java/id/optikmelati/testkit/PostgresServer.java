package id.optikmelati.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL (the zonky binaries, PostgreSQL 18) on a loopback port. Root is fine: zonky
 * runs it through {@code unshare -U} by itself.
 */
public final class PostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * @param port loopback port, 0 for any free one
     * @param dataDir where the cluster lives (kept across restarts), or null for a throwaway one
     */
    public static PostgresServer start(int port, Path dataDir) {
        int chosen = port == 0 ? FreePorts.find() : port;
        FreePorts.requireFree(chosen, "PostgreSQL");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(chosen)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1");
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        try {
            return new PostgresServer(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL on port " + chosen + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** The {@code postgres} database as superuser {@code postgres} (no password on loopback). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    }

    public String username() {
        return "postgres";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot stop embedded PostgreSQL", e);
        }
    }
}
