package id.optikmelati.realtime;

import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.ConnectionsPerAddress;
import id.optikmelati.realtime.admission.Admission;
import id.optikmelati.realtime.admission.ConnectRateLimiter;
import id.optikmelati.realtime.admission.ConnectionLimiter;
import id.optikmelati.realtime.admission.RefusalProblems;
import id.optikmelati.realtime.admission.SocketGate;
import id.optikmelati.realtime.admission.Revocations;
import id.optikmelati.realtime.admission.StreamAuthenticator;
import id.optikmelati.realtime.broker.EventBroker;
import id.optikmelati.realtime.broker.RedisEventBroker;
import id.optikmelati.realtime.resume.Resumption;
import id.optikmelati.realtime.screen.ControlMessages;
import id.optikmelati.realtime.stream.Hub;
import id.optikmelati.realtime.stream.StreamMeters;
import id.optikmelati.realtime.stream.StreamRoute;
import id.optikmelati.redis.RedisConnector;
import id.optikmelati.redis.RedisHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;
import java.util.UUID;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/** The node's parts, wired from {@link RealtimeProperties}. */
@Configuration
class RealtimeConfig {

    static {
        // Lettuce switches to io_uring whenever the library is on the classpath (it is, for the streams'
        // opt-in transport); the node's few Redis connections stay on epoll unless told otherwise.
        if (System.getProperty("io.lettuce.core.iouring") == null) {
            System.setProperty("io.lettuce.core.iouring", "false");
        }
    }

    /**
     * Netty event loops of this node alone, not Reactor's JVM-wide ones: stopping one node must not
     * stop another's server (several nodes share a JVM in the tests); on the configured transport.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory(EventLoops loops) {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setLoopResourcesSupplier(() -> loops); // the factory disposes of them when the node stops
        return factory;
    }

    /** The event loops of the streams, and of the management port's server ({@link ManagementServerLoops}). */
    @Bean(destroyMethod = "")
    EventLoops eventLoops(RealtimeProperties config) {
        return new EventLoops(config.transport(), LoopResources.DEFAULT_IO_WORKER_COUNT);
    }

    @Bean(destroyMethod = "close")
    RedisConnector redisConnector(RealtimeProperties config) {
        return new RedisConnector(config.redisUrl(), config.redisMode(), config.redisCommandTimeout());
    }

    /** The {@code redis} component of /actuator/health. */
    @Bean
    RedisHealth redisHealthIndicator(RedisConnector redis, RealtimeProperties config) {
        return new RedisHealth(redis, config.redisCommandTimeout());
    }

    @Bean(destroyMethod = "close")
    RedisEventBroker eventBroker(RedisConnector redis, MeterRegistry meters) {
        return new RedisEventBroker(redis, meters);
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

    /** Every connection passes the gate first: the per-address cap, the header deadline, bad HTTP as problem+json. */
    @Bean
    NettyServerCustomizer socketGate(RealtimeProperties config, RefusalProblems problems, MeterRegistry meters) {
        SocketGate gate = new SocketGate(new ConnectionsPerAddress(config.connectionsPerAddress(),
                config.unlimitedAddresses()), config.headerTimeout(), problems, meters);
        return server -> server.doOnChannelInit((observer, channel, remote) -> gate.install(channel,
                NettyPipeline.HttpCodec));
    }

    @Bean
    ControlMessages controlMessages(RealtimeProperties config) {
        return new ControlMessages(config.retryBase(), config.retryJitter());
    }

    @Bean
    Hub hub(EventBroker broker, ControlMessages messages, RealtimeProperties config, MeterRegistry meters,
            StreamMeters streamMeters) {
        Resumption resumption = new Resumption(broker, messages, config.maxReplay(), config.zone(), Clock.systemUTC(),
                config.historyRewriteWait(), meters);
        return new Hub(broker, config.windowSize(), config.maxReplay(), resumption, messages, meters,
                streamMeters);
    }

    @Bean
    StreamMeters streamMeters(RealtimeProperties config, MeterRegistry meters) {
        return new StreamMeters(meters, config.maxConnections());
    }

    /** The API's tokens: verified on every stream, and signed for the node's own warm-up. */
    @Bean
    AccessTokens accessTokens(RealtimeProperties config, Environment env) {
        if (config.jwtSecret() == null || config.jwtSecret().isBlank()) {
            throw new IllegalStateException("optik.realtime.jwt-secret (OPTIK_JWT_SECRET) is not set; use the"
                    + " API's secret");
        }
        if (config.jwtSecret().startsWith("optik-melati-demo-secret") && !env.matchesProfiles("demo")) {
            throw new IllegalStateException("the demo JWT secret is only allowed with the demo profile;"
                    + " set OPTIK_JWT_SECRET to the API's own secret");
        }
        return new AccessTokens(config.jwtSecret(), Clock.systemUTC());
    }

    @Bean
    StreamAuthenticator streamAuthenticator(AccessTokens tokens) {
        return new StreamAuthenticator(tokens);
    }

    @Bean
    ConnectionLimiter connectionLimiter(RedisConnector redis, RealtimeProperties config) {
        return new ConnectionLimiter(redis, UUID.randomUUID().toString(), config.connectionsPerUser(),
                config.connectionLease(), config.nodeLiveness(), Clock.systemUTC());
    }

    @Bean
    Revocations revocations(RedisConnector redis, RealtimeProperties config) {
        return new Revocations(redis, Clock.systemUTC(), config.revocationKeep());
    }

    @Bean
    ConnectRateLimiter connectRateLimiter(RealtimeProperties config) {
        return new ConnectRateLimiter(config.connectsPerIpPerMinute(), Clock.systemUTC());
    }

    @Bean
    Admission admission(StreamAuthenticator authenticator, Revocations revocations, ConnectRateLimiter rateLimiter,
            ConnectionLimiter limiter, StreamMeters streams, Hub hub, RealtimeProperties config, MeterRegistry meters) {
        return new Admission(authenticator, revocations, rateLimiter, limiter, streams::open, config.maxConnections(),
                hub::branches, meters);
    }

    /** Streams to itself before the node reports ready (runners run before readiness is published). */
    @Bean
    WarmUp warmUp(ApplicationContext context, Hub hub, EventBroker broker, ConnectRateLimiter rateLimiter,
            AccessTokens tokens, RealtimeProperties config) {
        return new WarmUp(() -> ((WebServerApplicationContext) context).getWebServer().getPort(), hub, broker,
                rateLimiter, tokens, config.warmUpStreams(), config.warmUpTimeout());
    }

    @Bean
    RefusalProblems refusalProblems() {
        return new RefusalProblems();
    }

    @Bean
    NodeLifecycle nodeLifecycle(EventBroker broker, Hub hub, ConnectionLimiter limiter, Revocations revocations,
            RealtimeProperties config) {
        return new NodeLifecycle(broker, hub, limiter, revocations, config);
    }

    /** The streams, served on Reactor Netty ahead of WebFlux. */
    @Bean
    StreamRoute streamRoute(Hub hub, Admission admission, RefusalProblems problems, ControlMessages messages,
            StreamMeters meters, RealtimeProperties config, CorsConfiguration streamCors) {
        return new StreamRoute(hub, admission, problems, messages, meters, config, streamCors);
    }

    /** The preflight of a stream's request (a stream's own GET is answered by {@link StreamRoute}). */
    @Bean
    CorsWebFilter corsWebFilter(CorsConfiguration streamCors) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/realtime/**", streamCors);
        return new CorsWebFilter(source);
    }

    /** The UI is served by the API on another origin; it opens streams with credentials (the cookie). */
    @Bean
    CorsConfiguration streamCors(RealtimeProperties config) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(config.corsOrigins());
        cors.addAllowedMethod("GET");
        cors.addAllowedHeader("Last-Event-ID");
        cors.addAllowedHeader("Authorization");
        cors.addExposedHeader("Retry-After"); // a refused page waits as long as the node asks
        cors.setAllowCredentials(true);
        cors.setMaxAge(3600L);
        return cors;
    }
}
