package id.optikmelati.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.api.ApiTestBase;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.testkit.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Sales go on while Redis is down; their events flow, in order, once it is back. */
class RedisOutageTest extends ApiTestBase {

    static final RedisProcess REDIS = RedisProcess.start(0);

    @DynamicPropertySource
    static void ownRedis(DynamicPropertyRegistry registry) {
        registry.add("optik.test.own-redis", REDIS::uri);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    void salesSucceedWhileRedisIsDownAndEveryEventArrivesInOrderAfterwards() {
        long product = newProduct(ProductType.ACCESSORY, 30_000, Map.of(2L, 100));
        String token = token("kasir2");
        REDIS.kill();

        List<Long> saleIds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            var r = api().sell(token, sale(null, i % 2 == 0 ? "BPJS" : "UMUM", product, 1));
            assertThat(r.status()).as("a sale while Redis is down").isEqualTo(201);
            saleIds.add(r.body().get("id").asLong());
        }
        assertThat(count("select count(*) from outbox_event where branch_id = 2 and published_at is null"))
                .isGreaterThanOrEqualTo(20);

        REDIS.start(); // empty: everything it held is gone
        long lastSeq = count("select event_seq from branch where id = 2");
        try (RedisStreams streams = new RedisStreams(REDIS.uri())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                List<Long> seqs = streams.seqs(2);
                return !seqs.isEmpty() && seqs.get(seqs.size() - 1) == lastSeq;
            });
            List<ShopEvent> events = streams.events(2);
            List<Long> seqs = events.stream().map(ShopEvent::seq).toList();
            assertThat(seqs).isEqualTo(LongStream.rangeClosed(seqs.get(0), lastSeq).boxed().toList());
            List<Long> soldInStream = events.stream().filter(e -> e.type() == EventType.SALE_CREATED)
                    .map(e -> e.dataAs(Payloads.SaleCreated.class).saleId()).toList();
            assertThat(soldInStream).containsSubsequence(saleIds);
            assertThat(soldInStream).containsAll(saleIds);
        }
        assertThat(count("select count(*) from outbox_event where branch_id = 2 and published_at is null")).isZero();
    }
}
