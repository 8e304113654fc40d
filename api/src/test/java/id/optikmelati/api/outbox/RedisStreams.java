package id.optikmelati.api.outbox;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.contract.ShopEvent;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;

/** Reads branch streams straight from Redis, as a test's independent witness. */
final class RedisStreams implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    RedisStreams(String uri) {
        client = RedisClient.create(uri);
        connection = client.connect();
    }

    List<ShopEvent> events(long branch) {
        return connection.sync().xrange(RedisKeys.stream(branch), Range.create("-", "+")).stream()
                .map(m -> EventCodec.decode(m.getBody().get("e")))
                .toList();
    }

    List<Long> seqs(long branch) {
        return events(branch).stream().map(ShopEvent::seq).toList();
    }

    StatefulRedisConnection<String, String> connection() {
        return connection;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
