package id.optikmelati.api.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * LISTENs for the NOTIFY that every outbox write sends at commit, so a relay wakes within
 * milliseconds even for commits made on another API node. Holds its own connection, outside the
 * pool, and reopens it if PostgreSQL goes away; the relay's poll covers the time in between.
 */
@Component
class OutboxNotifyListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxNotifyListener.class);

    private final RelaySignal signal;
    private final String url;
    private final String username;
    private final String password;
    private volatile boolean running;
    private Thread thread;

    OutboxNotifyListener(RelaySignal signal, Environment env) {
        this.signal = signal;
        this.url = env.getRequiredProperty("spring.datasource.url");
        this.username = env.getProperty("spring.datasource.username");
        this.password = env.getProperty("spring.datasource.password");
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listen, "outbox-notify");
        thread.setDaemon(true);
        thread.start();
    }

    private void listen() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, username, password);
                    Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + OutboxWriter.NOTIFY_CHANNEL);
                PGConnection pg = connection.unwrap(PGConnection.class);
                signal.wake(); // catch up on anything committed while we were not listening
                while (running) {
                    var notifications = pg.getNotifications(500);
                    if (notifications != null && notifications.length > 0) {
                        signal.wake();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    log.debug("LISTEN connection lost, reopening: {}", e.getMessage());
                    sleep(1_000);
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
