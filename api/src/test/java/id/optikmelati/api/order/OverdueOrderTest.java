package id.optikmelati.api.order;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.api.ApiTestBase;
import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.ProductType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/** An order not ready by its promised date falls overdue once, when the shop's clock passes the date. */
@Import(OverdueOrderTest.Clocks.class)
class OverdueOrderTest extends ApiTestBase {

    /** The shop's clock, which this test moves on. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void forward(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MovableClock movableClock() {
            return new MovableClock();
        }
    }

    @Autowired
    MovableClock clock;

    @Autowired
    OrderService orders;

    private JsonNode lastOrderEvent(long orderId) {
        String payload = jdbc.sql("""
                        select payload::text from outbox_event where type = 'order.changed'
                        and (payload->>'orderId')::bigint = :id order by id desc limit 1""")
                .param("id", orderId).query(String.class).single();
        return EventCodec.mapper().readTree(payload);
    }

    @Test
    void anOrderPastItsPromisedDateAndNotReadyIsAnnouncedOverdueOnceAndCountedUntilReady() {
        long frame = newProduct(ProductType.FRAME, 300_000, Map.of(1L, 5));
        String kasir = token("kasir1");
        long late = api().orderGlasses(kasir, null, "Ibu Wati", frame).body().get("id").asLong(); // due in 3 days
        long onTime = api().orderGlasses(kasir, null, "Pak Dodi", frame).body().get("id").asLong();
        assertThat(api().post("/api/orders/" + onTime + "/status", kasir, Map.of("status", "READY")).status())
                .isEqualTo(200);
        orders.announceOverdue();
        assertThat(lastOrderEvent(late).get("overdue").asBoolean()).isFalse();

        clock.forward(Duration.ofDays(4));
        int fell = orders.announceOverdue();
        assertThat(fell).isGreaterThanOrEqualTo(1);
        JsonNode announced = lastOrderEvent(late);
        assertThat(announced.get("overdue").asBoolean()).isTrue();
        assertThat(announced.has("by")).as("nobody made it overdue").isFalse();
        assertThat(announced.get("overdueOrders").asInt()).isPositive();
        assertThat(lastOrderEvent(onTime).get("overdue").asBoolean()).as("ready in time").isFalse();

        String later = token("kasir1"); // the tokens of four days ago have expired
        assertThat(api().get("/api/orders/" + late, later).body().get("overdue").asBoolean()).isTrue();
        long events = count("select count(*) from outbox_event where type = 'order.changed'");
        orders.announceOverdue();
        assertThat(count("select count(*) from outbox_event where type = 'order.changed'"))
                .as("announced once").isEqualTo(events);

        var ready = api().post("/api/orders/" + late + "/status", later, Map.of("status", "READY"));
        assertThat(ready.body().get("overdue").asBoolean()).isFalse();
        assertThat(lastOrderEvent(late).get("overdueOrders").asInt())
                .isEqualTo(announced.get("overdueOrders").asInt() - 1);
    }
}
