package id.optikmelati.realtime;

import id.optikmelati.contract.AccessTokens;
import id.optikmelati.realtime.auth.ConnectRateLimiter;
import id.optikmelati.realtime.auth.ConnectionLimiter;
import id.optikmelati.realtime.auth.StreamAuthenticator;
import id.optikmelati.realtime.broker.EventBroker;
import id.optikmelati.realtime.broker.RedisEventBroker;
import id.optikmelati.realtime.stream.Connection;
import id.optikmelati.realtime.stream.Hub;
import id.optikmelati.redis.RedisConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

@Configuration
class RealtimeConfig {

    private static final Logger log = LoggerFactory.getLogger(RealtimeConfig.class);
    /** Ticks a heartbeat round is spread over (even: each connection comes up in both halves). */
    private static final int HEARTBEAT_SLICES = 16;

    /**
     * Netty event loops of this node alone, not Reactor's JVM-wide ones: stopping one node must not
     * stop another's server (several nodes share a JVM in the tests).
     */
    @Bean
    org.springframework.http.client.ReactorResourceFactory reactorResourceFactory() {
        org.springframework.http.client.ReactorResourceFactory factory =
                new org.springframework.http.client.ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }

    @Bean(destroyMethod = "close")
    RedisConnector redisConnector(RealtimeProperties config) {
        return new RedisConnector(config.redisUrl(), config.redisMode(), config.redisCommandTimeout());
    }

    @Bean(destroyMethod = "close")
    RedisEventBroker eventBroker(RedisConnector redis, MeterRegistry meters) {
        RedisEventBroker broker = new RedisEventBroker(redis, meters);
        io.micrometer.core.instrument.Gauge.builder("optik.realtime.redis.subscribed", broker, b -> b.subscribed() ? 1 : 0)
                .description("1 while the node's Redis subscription is open").register(meters);
        return broker;
    }

    /**
     * A small kernel send buffer per connection, when configured: a stalled client then holds
     * little memory and its queue overflows soon, so it is cut off.
     */
    @Bean
    NettyServerCustomizer socketSendBuffer(RealtimeProperties config) {
        int bytes = config.socketSendBuffer();
        return server -> bytes <= 0 ? server : server.childOption(ChannelOption.SO_SNDBUF, bytes);
    }

    @Bean
    Hub hub(EventBroker broker, RealtimeProperties config, MeterRegistry meters) {
        return new Hub(broker, config, meters);
    }

    @Bean
    StreamAuthenticator streamAuthenticator(RealtimeProperties config, org.springframework.core.env.Environment env) {
        if (config.jwtSecret() == null || config.jwtSecret().isBlank()) {
            throw new IllegalStateException("optik.realtime.jwt-secret (OPTIK_JWT_SECRET) is not set; use the"
                    + " API's secret");
        }
        if (config.jwtSecret().startsWith("optik-melati-demo-secret") && !env.matchesProfiles("demo")) {
            throw new IllegalStateException("the demo JWT secret is only allowed with the demo profile;"
                    + " set OPTIK_JWT_SECRET to the API's own secret");
        }
        return new StreamAuthenticator(new AccessTokens(config.jwtSecret(), Clock.systemUTC()));
    }

    @Bean
    ConnectionLimiter connectionLimiter(RedisConnector redis, RealtimeProperties config) {
        return new ConnectionLimiter(redis, config.connectionsPerUser(), config.connectionLease(),
                Clock.systemUTC());
    }

    @Bean
    ConnectRateLimiter connectRateLimiter(RealtimeProperties config) {
        return new ConnectRateLimiter(config.connectsPerIpPerMinute(), Clock.systemUTC());
    }

    /** The UI is served by the API on another origin; it opens streams with credentials (the cookie). */
    @Bean
    CorsWebFilter corsWebFilter(RealtimeProperties config) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(config.corsOrigins());
        cors.addAllowedMethod("GET");
        cors.addAllowedHeader("Last-Event-ID");
        cors.addAllowedHeader("Authorization");
        cors.setAllowCredentials(true);
        cors.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/realtime/**", cors);
        return new CorsWebFilter(source);
    }

    /**
     * Starts the subscription (retrying until Redis answers), sends heartbeats and renews
     * connection leases; on shutdown tells every client to reconnect elsewhere before the server stops.
     */
    @Bean
    SmartLifecycle hubLifecycle(RedisEventBroker broker, Hub hub, ConnectionLimiter limiter,
            RealtimeProperties config) {
        return new SmartLifecycle() {
            private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "realtime-heartbeat");
                t.setDaemon(true);
                return t;
            });
            private volatile boolean running;

            @Override
            public void start() {
                broker.start(hub);
                broker.branches().thenAccept(hub::watchAll);
                // A round is spread over HEARTBEAT_SLICES ticks, each serving its share of the
                // connections: thousands of socket writes and lease renewals at one instant would
                // hold up the live events queued behind them on the event loops and in Redis. Each
                // connection is looked at twice a round, so one that skips a heartbeat because it
                // carried events just before is never silent for longer than the heartbeat interval.
                long tick = Math.max(1, config.heartbeat().toMillis() / HEARTBEAT_SLICES);
                AtomicLong ticks = new AtomicLong();
                timer.scheduleAtFixedRate(() -> {
                    try {
                        int slice = (int) (ticks.getAndIncrement() % HEARTBEAT_SLICES);
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
                }, tick, tick, TimeUnit.MILLISECONDS);
                running = true;
            }

            /**
             * Readiness already reads REFUSING_TRAFFIC here (the context publishes it as it starts
             * to close); after a grace the balancer has taken the node out, so clients told to
             * reconnect land elsewhere.
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
            }

            private void sleep(long millis) {
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

            /** Stops before the web server (which stops at a lower phase), so clients hear why. */
            @Override
            public int getPhase() {
                return Integer.MAX_VALUE;
            }
        };
    }
}
