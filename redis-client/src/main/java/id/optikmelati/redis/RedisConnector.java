package id.optikmelati.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * How every node talks to Redis, a single server or a Redis Cluster: a Lettuce client that
 * reconnects within a second or two after an outage (not Lettuce's default of up to 30 s), fails
 * commands fast while Redis is away (callers retry or degrade; nothing piles up in memory), and
 * opens its command connection on first use, so a node starts even while Redis is down. On a
 * cluster it follows topology changes (failovers) and routes every command by its key's slot.
 */
public final class RedisConnector implements AutoCloseable {

    /** A single Redis (or one behind Sentinel/a managed endpoint) or a Redis Cluster. */
    public enum Mode {
        STANDALONE, CLUSTER
    }

    private final Mode mode;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private volatile StatefulConnection<String, String> commands;

    /**
     * @param urls one {@code redis://host:port}, or for a cluster a comma-separated list of seed nodes
     */
    public RedisConnector(String urls, Mode mode, Duration commandTimeout) {
        this.mode = mode;
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        List<RedisURI> seeds = Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(RedisURI::create).toList();
        if (mode == Mode.CLUSTER) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
            cluster.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(5))
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .build());
            this.client = cluster;
        } else {
            RedisClient single = RedisClient.create(resources, seeds.get(0));
            single.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                    .build());
            this.client = single;
        }
    }

    public Mode mode() {
        return mode;
    }

    /** The command a live event is published with: sharded pub/sub on a cluster, so it stays on the branch's shard. */
    public String publishCommand() {
        return mode == Mode.CLUSTER ? "SPUBLISH" : "PUBLISH";
    }

    /** The single-server client (pub/sub, Bucket4j); only in standalone mode. */
    public RedisClient client() {
        if (!(client instanceof RedisClient c)) {
            throw new IllegalStateException("not a single Redis: use cluster()");
        }
        return c;
    }

    /** The cluster client; only in cluster mode. */
    public RedisClusterClient cluster() {
        if (!(client instanceof RedisClusterClient c)) {
            throw new IllegalStateException("not a Redis Cluster: use client()");
        }
        return c;
    }

    /** Commands on the shared connection, the same API on a single Redis and on a cluster. */
    public RedisClusterCommands<String, String> sync() {
        StatefulConnection<String, String> c = connection();
        return c instanceof StatefulRedisClusterConnection<String, String> cluster ? cluster.sync()
                : ((StatefulRedisConnection<String, String>) c).sync();
    }

    private RedisClusterAsyncCommands<String, String> async() {
        StatefulConnection<String, String> c = connection();
        return c instanceof StatefulRedisClusterConnection<String, String> cluster ? cluster.async()
                : ((StatefulRedisConnection<String, String>) c).async();
    }

    /** The shared command connection; opened on first use, and retried on every use until it opens. */
    private StatefulConnection<String, String> connection() {
        StatefulConnection<String, String> c = commands;
        if (c == null) {
            synchronized (this) {
                c = commands;
                if (c == null) {
                    c = client instanceof RedisClusterClient cluster ? cluster.connect() : ((RedisClient) client).connect();
                    commands = c;
                }
            }
        }
        return c;
    }

    /**
     * One command on the shared connection, asynchronously. Redis unreachable, even before the
     * first connect, fails the future instead of throwing at the caller.
     */
    public <T> CompletableFuture<T> call(Function<RedisClusterAsyncCommands<String, String>, CompletionStage<T>> command) {
        try {
            return command.apply(async()).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** PING on the shared connection. */
    public CompletableFuture<String> ping() {
        return call(c -> c.ping());
    }

    @Override
    public void close() {
        if (commands != null) {
            commands.close();
        }
        client.shutdown();
        resources.shutdown();
    }
}
