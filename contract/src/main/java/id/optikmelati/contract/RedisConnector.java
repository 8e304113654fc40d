package id.optikmelati.contract;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;

/**
 * How every node talks to Redis: a Lettuce client that reconnects within a second or two after an
 * outage (not Lettuce's default of up to 30 s), fails commands fast while Redis is away (callers
 * retry or degrade; nothing piles up in memory), and opens its command connection on first use, so
 * a node starts even while Redis is down.
 */
public final class RedisConnector implements AutoCloseable {

    private final ClientResources resources;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> commands;

    public RedisConnector(String url, Duration commandTimeout) {
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, RedisURI.create(url));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
    }

    /** For connections of other kinds (pub/sub). */
    public RedisClient client() {
        return client;
    }

    /** The shared command connection; opened on first use, and retried on every use until it opens. */
    public StatefulRedisConnection<String, String> commands() {
        StatefulRedisConnection<String, String> c = commands;
        if (c == null) {
            synchronized (this) {
                c = commands;
                if (c == null) {
                    c = client.connect();
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
    public <T> CompletableFuture<T> call(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
        try {
            return command.apply(commands().async()).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
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
