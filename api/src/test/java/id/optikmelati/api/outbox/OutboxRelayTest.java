package id.optikmelati.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import id.optikmelati.api.ApiTestBase;
import id.optikmelati.api.ShopProperties;
import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.testkit.SharedServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

class OutboxRelayTest extends ApiTestBase {

    @Autowired
    OutboxRelay relay;
    @Autowired
    RedisEventLog redisLog;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    RelaySignal signal;
    @Autowired
    ShopProperties properties;
    @Autowired
    OutboxRows rows;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void aSaleReachesTheBranchStreamAndTheLiveChannelInCommitOrder() {
        long product = newProduct(ProductType.LENS, 350_000, Map.of(1L, 30));
        List<String> live = new CopyOnWriteArrayList<>();
        RedisClient client = RedisClient.create(SharedServers.redisUri());
        var sub = client.connectPubSub();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                live.add(message);
            }
        });
        sub.sync().subscribe(RedisKeys.channel(1));
        try (RedisStreams streams = new RedisStreams(SharedServers.redisUri())) {
            var r = api().sell(token("kasir1"), sale(null, "UMUM", product, 3));
            assertThat(r.status()).isEqualTo(201);
            long saleId = r.body().get("id").asLong();

            await().atMost(Duration.ofSeconds(5)).until(() -> live.stream().map(EventCodec::decode)
                    .anyMatch(e -> e.type() == EventType.STOCK_CHANGED
                            && e.dataAs(Payloads.StockChanged.class).updates().get(0).productId() == product));
            List<ShopEvent> events = streams.events(1);
            ShopEvent saleEvent = events.stream().filter(e -> e.type() == EventType.SALE_CREATED
                    && e.dataAs(Payloads.SaleCreated.class).saleId() == saleId).findFirst().orElseThrow();
            ShopEvent stockEvent = events.stream().filter(e -> e.seq() == saleEvent.seq() + 1).findFirst().orElseThrow();
            assertThat(stockEvent.type()).isEqualTo(EventType.STOCK_CHANGED);
            var update = stockEvent.dataAs(Payloads.StockChanged.class).updates().get(0);
            assertThat(update.newStock()).isEqualTo(27);
            assertThat(update.branchName()).isEqualTo("Cabang Utama");
            assertThat(saleEvent.dataAs(Payloads.SaleCreated.class).omset().total()).isPositive();
            // dense, ascending seqs: the stream is the branch's history in commit order
            List<Long> seqs = streams.seqs(1);
            assertThat(seqs).isEqualTo(LongStream.rangeClosed(seqs.get(0), seqs.get(seqs.size() - 1)).boxed().toList());
            // the snapshot followed the events
            var snapshot = streams.connection().sync().hgetall(RedisKeys.snapshot(1));
            assertThat(Long.parseLong(snapshot.get(RedisKeys.SNAPSHOT_SEQ))).isGreaterThanOrEqualTo(stockEvent.seq());
            assertThat(snapshot.get(RedisKeys.snapshotStockField(product))).contains("\"new_stock\":27");
        } finally {
            sub.close();
            client.shutdown();
        }
    }

    @Test
    void aRelayKilledBetweenRedisAndMarkingSentLeavesEachEventOnceInTheStream() {
        long product = newProduct(ProductType.FRAME, 900_000, Map.of(3L, 10));
        relay.stop(); // the background relay must not get there first
        try (RedisStreams streams = new RedisStreams(SharedServers.redisUri())) {
            for (int i = 0; i < 3; i++) {
                assertThat(api().sell(token("superadmin"), sale(3L, "UMUM", product, 1)).status()).isEqualTo(201);
            }
            long pending = count("select count(*) from outbox_event where branch_id = 3 and published_at is null");
            assertThat(pending).isEqualTo(6);

            OutboxRelay dying = new OutboxRelay(jdbc, rows, tx, redisLog, signal, properties, Clock.systemUTC(),
                    new SimpleMeterRegistry()) {
                @Override
                void markSent(List<OutboxRows.Row> sent) {
                    throw new IllegalStateException("relay killed after the Redis write");
                }
            };
            assertThatThrownBy(() -> dying.relayBranch(3)).hasMessageContaining("killed");
            assertThat(count("select count(*) from outbox_event where branch_id = 3 and published_at is null"))
                    .isEqualTo(6);
            List<Long> afterCrash = streams.seqs(3);

            relay.drain(); // the next relay sends the same rows again

            assertThat(count("select count(*) from outbox_event where branch_id = 3 and published_at is null")).isZero();
            List<Long> seqs = streams.seqs(3);
            assertThat(seqs).isEqualTo(afterCrash).doesNotHaveDuplicates();
            long lastSeq = count("select event_seq from branch where id = 3");
            assertThat(seqs.get(seqs.size() - 1)).isEqualTo(lastSeq);
            assertThat(seqs).isEqualTo(LongStream.rangeClosed(seqs.get(0), lastSeq).boxed().toList());
        } finally {
            relay.start();
        }
    }

    @Test
    void aBranchWhoseRedisFailsWaitsOnItsOwnWhileTheOtherBranchesAreRelayed() {
        long product = newProduct(ProductType.FRAME, 400_000, Map.of(1L, 10, 2L, 10));
        relay.stop();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SteppedClock clock = new SteppedClock();
        OutboxRelay relay1 = new OutboxRelay(jdbc, rows, tx, redisLog, signal, properties, clock, meters);
        String stream1 = RedisKeys.stream(1);
        String aside = stream1 + ":aside";
        try (RedisStreams streams = new RedisStreams(SharedServers.redisUri())) {
            var redis = streams.connection().sync();
            assertThat(api().sell(token("superadmin"), sale(1L, "UMUM", product, 1)).status()).isEqualTo(201);
            relay1.drain(); // branch 1's stream exists, with everything so far
            // Branch 1 comes first in every relay round, and its stream key now holds a string: every
            // append to it fails, as one to a shard that is out would.
            redis.rename(stream1, aside);
            try {
                redis.set(stream1, "not a stream");
                assertThat(api().sell(token("superadmin"), sale(1L, "UMUM", product, 1)).status()).isEqualTo(201);
                assertThat(api().sell(token("superadmin"), sale(2L, "UMUM", product, 1)).status()).isEqualTo(201);

                relay1.drain();
                assertThat(count("select count(*) from outbox_event where branch_id = 2 and published_at is null"))
                        .isZero();
                assertThat(count("select count(*) from outbox_event where branch_id = 1 and published_at is null"))
                        .isEqualTo(2);
                assertThat(meters.counter("optik.redis.publish.errors").count()).isEqualTo(1);
                relay1.drain(); // within the branch's backoff: not tried again
                assertThat(meters.counter("optik.redis.publish.errors").count()).isEqualTo(1);
                clock.step(Duration.ofMillis(150)); // past the first backoff (100 ms): tried, fails again
                relay1.drain();
                assertThat(meters.counter("optik.redis.publish.errors").count()).isEqualTo(2);
            } finally {
                redis.del(stream1);
                redis.rename(aside, stream1);
            }
            relay1.drain(); // the second backoff (200 ms) has not passed
            assertThat(count("select count(*) from outbox_event where branch_id = 1 and published_at is null"))
                    .isEqualTo(2);
            clock.step(Duration.ofMillis(250));
            relay1.drain();
            assertThat(count("select count(*) from outbox_event where branch_id = 1 and published_at is null")).isZero();
            List<Long> seqs = streams.seqs(1);
            assertThat(seqs.get(seqs.size() - 1)).isEqualTo(count("select event_seq from branch where id = 1"));
            assertThat(seqs).isEqualTo(LongStream.rangeClosed(seqs.get(0), seqs.get(seqs.size() - 1)).boxed().toList());
        } finally {
            relay.start();
        }
    }

    /** Every seq of the branch from the first one in its stream to its last, in order, once. */
    private void assertStreamWhole(RedisStreams streams, long branch) {
        List<Long> seqs = streams.seqs(branch);
        long last = count("select event_seq from branch where id = " + branch);
        assertThat(seqs).isNotEmpty();
        assertThat(seqs).isEqualTo(LongStream.rangeClosed(seqs.get(0), last).boxed().toList());
    }

    @Test
    void eventsAStreamLostAreWrittenBackFromTheOutboxBeforeTheNextOneIsAppended() {
        long product = newProduct(ProductType.FRAME, 300_000, Map.of(3L, 10));
        try (RedisStreams streams = new RedisStreams(SharedServers.redisUri())) {
            for (int i = 0; i < 3; i++) {
                assertThat(api().sell(token("superadmin"), sale(3L, "UMUM", product, 1)).status()).isEqualTo(201);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> count(
                    "select count(*) from outbox_event where branch_id = 3 and published_at is null") == 0);
            List<Long> before = streams.seqs(3);
            double restoredBefore = meters.counter("optik.outbox.restored").count();
            relay.stop(); // so the next sale's append is the first thing that meets the empty stream
            try {
                // Redis lost the branch (restart without persistence, a failover to an empty replica)
                streams.connection().sync().del(RedisKeys.stream(3), RedisKeys.snapshot(3));
                assertThat(api().sell(token("superadmin"), sale(3L, "UMUM", product, 1)).status()).isEqualTo(201);
                relay.drain();
            } finally {
                relay.start();
            }
            assertStreamWhole(streams, 3);
            assertThat(streams.seqs(3)).containsAll(before);
            assertThat(meters.counter("optik.outbox.restored").count() - restoredBefore)
                    .isGreaterThanOrEqualTo(before.size());
        }
    }

    @Test
    void anIdleBranchWhoseDataRedisLostGetsItsStreamAndSnapshotBackWithinSeconds() {
        long product = newProduct(ProductType.FRAME, 300_000, Map.of(3L, 10));
        try (RedisStreams streams = new RedisStreams(SharedServers.redisUri())) {
            assertThat(api().sell(token("superadmin"), sale(3L, "UMUM", product, 1)).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(5)).until(() -> count(
                    "select count(*) from outbox_event where branch_id = 3 and published_at is null") == 0);
            List<Long> before = streams.seqs(3);
            var redis = streams.connection().sync();
            redis.del(RedisKeys.stream(3), RedisKeys.snapshot(3));
            await().atMost(Duration.ofSeconds(5)).until(() -> redis.exists(RedisKeys.snapshot(3)) == 1
                    && streams.seqs(3).containsAll(before));
            assertStreamWhole(streams, 3);
            assertThat(Long.parseLong(redis.hget(RedisKeys.snapshot(3), RedisKeys.SNAPSHOT_SEQ)))
                    .isEqualTo(count("select event_seq from branch where id = 3"));
        }
    }

    @Test
    void sentEventsPastTheRetentionAreDeletedAndWaitingOnesAreKept() {
        jdbc.sql("insert into outbox_event (branch_id, seq, type, payload, committed_at, published_at) values"
                + " (3, -1, 'order.ready', '{}'::jsonb, now() - interval '3 days', now() - interval '3 days'),"
                + " (3, -2, 'order.ready', '{}'::jsonb, now() - interval '47 hours', now() - interval '47 hours')")
                .update();
        relay.deletePastRetention();
        assertThat(count("select count(*) from outbox_event where branch_id = 3 and seq = -1")).isZero();
        assertThat(count("select count(*) from outbox_event where branch_id = 3 and seq = -2")).isOne();
        assertThat(count("select count(*) from outbox_event where committed_at < now() - interval '48 hours'"
                + " and published_at is not null")).isZero();
        jdbc.sql("delete from outbox_event where branch_id = 3 and seq = -2").update();
    }

    /** A clock that stands still until the test moves it, so a backoff passes when the test says. */
    private static final class SteppedClock extends Clock {
        private volatile Instant now = Instant.now();

        void step(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
