package id.optikmelati.realtime;

import id.optikmelati.redis.RedisConnector;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything a realtime node can be configured with, under {@code optik.realtime.*}; documented in
 * README.md.
 *
 * @param redisUrl redis://host:port of the Redis the API relays to (a cluster: comma-separated seed nodes)
 * @param redisMode {@code standalone} or {@code cluster} (sharded pub/sub per branch)
 * @param redisCommandTimeout how long one Redis command may take before it fails
 * @param jwtSecret the API's HS256 secret (tokens are verified locally)
 * @param zone the shop's time zone, for "today's" omset
 * @param heartbeat the longest a stream stays silent: an idle stream gets a comment every half of
 *     it, so proxies keep it open (a stream carrying events gets none); also how often every stream's
 *     lease is renewed. Spread over the interval, not done at one instant
 * @param retryBase the reconnect delay sent as {@code retry:}, before jitter
 * @param retryJitter up to this much is added at random per connection, so a node's clients do not
 *     all come back in the same millisecond
 * @param windowSize recent events kept in memory per branch, to serve reconnects without Redis
 * @param maxReplay most events replayed to one client; further behind, it gets a {@code reset}
 * @param historyRewriteWait how long a reconnect that finds history or the snapshot lost (Redis lost
 *     its data) waits for the API to write them back from the outbox, before the screen gets a {@code reset}
 * @param sendBuffer messages a slow client may have waiting, after conflation (a stock level or an omset
 *     figure gives way to a newer one), before it counts as not keeping up at all and is cut off
 * @param behindAfter bytes waiting unsent beyond the kernel's buffer from which a stream counts as
 *     behind: its further messages wait, conflated, until the socket drains
 * @param stallTimeout how long a stream with bytes waiting may take none of them before it is cut off
 *     (looked at twice per heartbeat interval)
 * @param connectionsPerUser open streams one user may have across the whole cluster
 * @param connectionLease how long a connection's slot lives in Redis without a heartbeat renewing it
 * @param nodeLiveness how long after its last sign of life a node counts as crashed: its streams' slots
 *     then stop counting against their users' limits (the node signs every third of it)
 * @param connectsPerIpPerMinute new streams one IP may open per minute on this node
 * @param corsOrigins origins (the web UI) allowed to open streams with credentials
 * @param drainTimeout on shutdown, how long clients get to be told to reconnect elsewhere
 * @param readinessGrace on shutdown, how long the node reports not-ready before it tells its clients
 *     to reconnect, so the load balancer has stopped sending them back here
 * @param socketSendBuffer per-connection kernel send buffer in bytes (0: the OS's autotuning, up to
 *     megabytes); bounds how much a stalled client holds in the kernel, and how stale a slow screen's
 *     values get before conflation starts
 * @param maxConnections streams this node holds at most; beyond, a client gets 503 and tries another node
 * @param revocationRefresh how often the revoked tokens are read from Redis; a revoked user's open
 *     streams end within this (and new ones are refused)
 * @param headerTimeout how long a connection may take to send a whole request head, from opening or from
 *     its last response (keep-alive); slower, it is closed. A stream, once its request is in, is exempt
 * @param connectionsPerAddress open TCP connections one client address may hold on this node (0: no cap)
 * @param unlimitedAddresses addresses without that cap: the load balancer's, whose clients all arrive from
 *     them (it caps each client itself); by default the loopback, where a local proxy or load test connects from
 * @param revocationKeep how long a revocation is remembered after Redis stops listing it: at least
 *     the API's token lifetime
 * @param transport the kernel interface of the streams' event loops: {@code epoll} (where the OS has
 *     none, Java NIO), {@code io-uring} (opt-in until it measures better; see BENCHMARKS.md) or {@code nio}
 * @param warmUpStreams streams the node opens to itself over the loopback before it reports ready, half of
 *     them resuming from a Last-Event-ID, so a wave of reconnects does not find the path uncompiled (0: none)
 * @param warmUpTimeout the longest the warm-up may hold readiness back; the node is ready after it either way
 * @param trainingRun start, warm up and exit, with status 0 only when every warm-up stream was served: the
 *     training run that records the JDK's AOT cache (README, "Starting warm"); never set on a serving node
 */
@ConfigurationProperties("optik.realtime")
public record RealtimeProperties(
        @DefaultValue("redis://127.0.0.1:6379") String redisUrl,
        @DefaultValue("standalone") RedisConnector.Mode redisMode,
        @DefaultValue("2s") Duration redisCommandTimeout,
        String jwtSecret,
        @DefaultValue("Asia/Jakarta") ZoneId zone,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("2s") Duration retryBase,
        @DefaultValue("3s") Duration retryJitter,
        @DefaultValue("1000") int windowSize,
        @DefaultValue("10000") int maxReplay,
        @DefaultValue("5s") Duration historyRewriteWait,
        @DefaultValue("512") int sendBuffer,
        @DefaultValue("32768") int behindAfter,
        @DefaultValue("30s") Duration stallTimeout,
        @DefaultValue("10") int connectionsPerUser,
        @DefaultValue("45s") Duration connectionLease,
        @DefaultValue("5s") Duration nodeLiveness,
        @DefaultValue("120") int connectsPerIpPerMinute,
        @DefaultValue("http://localhost:8080,http://127.0.0.1:8080") List<String> corsOrigins,
        @DefaultValue("10s") Duration drainTimeout,
        @DefaultValue("2s") Duration readinessGrace,
        @DefaultValue("65536") int socketSendBuffer,
        @DefaultValue("20000") int maxConnections,
        @DefaultValue("2s") Duration revocationRefresh,
        @DefaultValue("24h") Duration revocationKeep,
        @DefaultValue("10s") Duration headerTimeout,
        @DefaultValue("500") int connectionsPerAddress,
        @DefaultValue({"127.0.0.1", "0:0:0:0:0:0:0:1"}) java.util.Set<String> unlimitedAddresses,
        @DefaultValue("epoll") EventLoops.Transport transport,
        @DefaultValue("4000") int warmUpStreams,
        @DefaultValue("30s") Duration warmUpTimeout,
        @DefaultValue("false") boolean trainingRun) {}
