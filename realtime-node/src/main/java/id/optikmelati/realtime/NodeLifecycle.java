package id.optikmelati.realtime;

import id.optikmelati.realtime.admission.ConnectionLimiter;
import id.optikmelati.realtime.admission.Revocations;
import id.optikmelati.realtime.broker.EventBroker;
import id.optikmelati.realtime.stream.Connection;
import id.optikmelati.realtime.stream.Hub;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The node's life: at start the broker's subscription (retrying until Redis answers) and the
 * chain's branches; while it runs the heartbeat rounds, each stream's lease renewal, the node's own
 * sign of life, the branches' refresh, and the revoked tokens' (whose streams it ends); on shutdown, readiness down first, then every screen told to reconnect
 * elsewhere before the web server stops.
 */
final class NodeLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeLifecycle.class);
    /** Ticks a heartbeat round is spread over (even: each connection comes up in both halves). */
    private static final int HEARTBEAT_SLICES = 16;

    private final EventBroker broker;
    private final Hub hub;
    private final ConnectionLimiter limiter;
    private final Revocations revocations;
    private final RealtimeProperties config;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "realtime-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;

    NodeLifecycle(EventBroker broker, Hub hub, ConnectionLimiter limiter, Revocations revocations,
            RealtimeProperties config) {
        this.broker = broker;
        this.hub = hub;
        this.limiter = limiter;
        this.revocations = revocations;
        this.config = config;
    }

    @Override
    public void start() {
        broker.start(hub.feeds());
        broker.branches().thenAccept(hub::watchAll);
        // A round is spread over HEARTBEAT_SLICES ticks, each serving its share of the
        // connections: thousands of socket writes and lease renewals at one instant would hold up
        // the live events queued behind them on the event loops and in Redis. Each connection is
        // looked at twice a round, so one that skips a heartbeat because it carried events just
        // before is never silent for longer than the heartbeat interval.
        long tick = Math.max(1, config.heartbeat().toMillis() / HEARTBEAT_SLICES);
        AtomicLong ticks = new AtomicLong();
        timer.scheduleAtFixedRate(() -> heartbeatTick((int) (ticks.getAndIncrement() % HEARTBEAT_SLICES)),
                tick, tick, TimeUnit.MILLISECONDS);
        long announce = limiter.announceEvery().toMillis();
        timer.scheduleAtFixedRate(() -> limiter.announce().exceptionally(e -> {
            log.warn("cannot tell the cluster this node lives: {}", e.toString());
            return null;
        }), 0, announce, TimeUnit.MILLISECONDS);
        long refresh = config.revocationRefresh().toMillis();
        timer.scheduleWithFixedDelay(() -> revocations.refresh().thenRun(() -> hub.endRevoked(revocations::revoked)),
                0, refresh, TimeUnit.MILLISECONDS);
        running = true;
    }

    private void heartbeatTick(int slice) {
        try {
            if (slice == 0) {
                broker.branches().thenAccept(hub::watchAll);
            }
            int half = HEARTBEAT_SLICES / 2;
            for (Connection c : hub.connections()) {
                int own = c.heartbeatSlice(HEARTBEAT_SLICES);
                if (own % half == slice % half) {
                    c.heartbeat();
                    if (own == slice) {
                        limiter.renew(c.viewer().userId(), c.id()); // once a round
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("heartbeat round failed: {}", e.toString());
        }
    }

    /**
     * Readiness already reads REFUSING_TRAFFIC here (the context publishes it as it starts to
     * close); after a grace the balancer has taken the node out, so screens told to reconnect land
     * elsewhere.
     */
    @Override
    public void stop() {
        running = false;
        log.info("shutting down: not ready; telling {} clients to reconnect in {}", hub.connections().size(),
                config.readinessGrace());
        sleep(config.readinessGrace().toMillis());
        hub.drain();
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (!hub.connections().isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
        }
        timer.shutdownNow();
        hub.shutdown();
        limiter.retire();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server (which stops at a lower phase), so screens hear why. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
