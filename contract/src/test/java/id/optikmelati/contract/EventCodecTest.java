package id.optikmelati.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void stockChangedUsesTheOldSystemShape() {
        var update = Payloads.StockUpdate.of(ProductType.FRAME, 123, "Ray-Ban Aviator", "FR000123", 1,
                "Cabang Utama", 6, 3);
        var payload = Payloads.StockChanged.of(Instant.parse("2024-01-01T10:00:00Z"), List.of(update), null);
        var event = ShopEvent.of(1, 7, EventType.STOCK_CHANGED, Instant.parse("2024-01-01T10:00:00.123456Z"),
                payload);

        String json = EventCodec.encode(event);

        assertThat(json).contains("\"type\":\"stock.changed\"", "\"total_updates\":1", "\"low_stock_alerts\":1",
                "\"product_type\":\"Frame\"", "\"type\":\"frame_stock_update\"", "\"new_stock\":3",
                "\"alert_level\":\"low\"", "\"frames_updated\":1", "\"branch_name\":\"Cabang Utama\"",
                "\"committedAt\":\"2024-01-01T10:00:00.123456Z\"");
        ShopEvent back = EventCodec.decode(json);
        assertThat(EventCodec.encode(back)).isEqualTo(json);
        assertThat(back.dataAs(Payloads.StockChanged.class)).isEqualTo(payload);
        assertThat(back.dataAs(Payloads.StockChanged.class).updates().get(0).becameCritical()).isTrue();
    }

    @Test
    void saleCreatedRoundTrips() {
        var sale = new Payloads.SaleCreated(9, "INV-1-20240101-000009", 1, "Cabang Utama", 150_000,
                PaymentType.BPJS, "kasir1", null, List.of(new Payloads.SaleItem(3, "LS000003", "Lensa", 1, 150_000)),
                Instant.parse("2024-01-01T10:00:00Z"),
                new Payloads.Omset(LocalDate.of(2024, 1, 1), 1, 150_000, 150_000, 0, 1));
        var event = ShopEvent.of(1, 1, EventType.SALE_CREATED, Instant.parse("2024-01-01T10:00:00Z"),
                sale);
        assertThat(EventCodec.decode(EventCodec.encode(event)).dataAs(Payloads.SaleCreated.class)).isEqualTo(sale);
    }

    @Test
    void rejectsIncompleteOrUnknownEnvelopes() {
        for (String bad : new String[] {"", "null", "[]", "{}", "{\"type\":\"sale.created\"}",
                "{\"branchId\":1,\"seq\":1,\"type\":\"nope\",\"committedAt\":\"2024-01-01T00:00:00Z\",\"data\":{}}",
                "{\"branchId\":0,\"seq\":1,\"type\":\"order.ready\",\"committedAt\":\"2024-01-01T00:00:00Z\",\"data\":{}}",
                "{\"branchId\":1,\"seq\":1,\"type\":\"order.ready\",\"committedAt\":\"yesterday\",\"data\":{}}",
                "{\"branchId\":\"x\",\"seq\":1}"}) {
            assertThatThrownBy(() -> EventCodec.decode(bad)).as(bad)
                    .isInstanceOf(EventCodec.MalformedEventException.class);
        }
    }

    @Property(tries = 300)
    void roundTripsArbitraryOrders(@ForAll @LongRange(min = 1, max = 10_000) long branch,
            @ForAll @LongRange(min = 1) long seq, @ForAll @StringLength(max = 80) String customer,
            @ForAll @Size(max = 3) List<@StringLength(max = 20) String> words) {
        var order = new Payloads.OrderReady(seq, "ORD-" + seq, branch, "Cabang " + branch, customer,
                String.join(" ", words), Instant.ofEpochSecond(1_700_000_000L));
        var event = ShopEvent.of(branch, seq, EventType.ORDER_READY, Instant.ofEpochSecond(1_700_000_000L, 123_000),
                order);
        ShopEvent back = EventCodec.decode(EventCodec.encode(event));
        assertThat(EventCodec.encode(back)).isEqualTo(EventCodec.encode(event));
        assertThat(back.committedAt()).isEqualTo(event.committedAt());
        assertThat(back.dataAs(Payloads.OrderReady.class)).isEqualTo(order);
    }

    @Property(tries = 2000)
    void decodingArbitraryTextEitherSucceedsOrFailsCleanly(@ForAll @StringLength(max = 200) String text) {
        try {
            ShopEvent e = EventCodec.decode(text);
            assertThat(e.seq()).isPositive();
        } catch (EventCodec.MalformedEventException expected) {
            // the only failure the codec may raise
        }
    }

    @Property(tries = 1000)
    void readsInstantsAsJacksonWritesThem(@ForAll @LongRange(min = -62_167_219_200L, max = 253_402_300_799L) long second,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos) {
        Instant instant = Instant.ofEpochSecond(second, nanos); // years 0000 to 9999
        String written = EventCodec.mapper().writeValueAsString(instant);
        assertThat(EventCodec.parseInstant(written.substring(1, written.length() - 1))).isEqualTo(instant);
    }

    @Property(tries = 2000)
    void readsAnyOtherTextAsInstantParseDoes(@ForAll("instantLike") String text) {
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (DateTimeException e) {
            assertThatThrownBy(() -> EventCodec.parseInstant(text)).as(text).isInstanceOf(DateTimeException.class);
            return;
        }
        assertThat(EventCodec.parseInstant(text)).as(text).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> instantLike() {
        // Real instants with one character replaced or removed, and short fractions: near misses
        // of the fast path's form.
        Arbitrary<String> real = Arbitraries.longs().between(0, 4_102_444_800L)
                .map(s -> Instant.ofEpochSecond(s, s % 7 == 0 ? 0 : (s * 7919) % 1_000_000_000).toString());
        return Combinators.combine(real, Arbitraries.integers().between(0, 29), Arbitraries.of("", "5", "x", ":", ".", "60", "+07:00"))
                .as((t, at, with) -> at >= t.length() ? t.substring(0, t.length() - 1) + with + "Z"
                        : t.substring(0, at) + with + t.substring(Math.min(t.length(), at + 1)));
    }

    @Test
    void keepsThePayloadAsTheTextItWas() {
        String json = "{\"branchId\":2,\"seq\":5,\"type\":\"order.ready\",\"committedAt\":\"2024-01-01T10:00:00.5Z\","
                + "\"data\":{\"order_id\":5,\"note\":\"a } in text\",\"items\":[{\"n\":1}]},\"extra\":[1,{\"x\":2}]}";
        ShopEvent e = EventCodec.decode(json);
        assertThat(e.data()).isEqualTo("{\"order_id\":5,\"note\":\"a } in text\",\"items\":[{\"n\":1}]}");
        assertThat(e.committedAt()).isEqualTo(Instant.parse("2024-01-01T10:00:00.500Z"));
        assertThatThrownBy(() -> EventCodec.decode(json + "{}")).isInstanceOf(EventCodec.MalformedEventException.class);
        assertThatThrownBy(() -> EventCodec.decode(json.replace("\"data\":{", "\"data\":[{").replace("]},\"extra", "]}],\"extra")))
                .isInstanceOf(EventCodec.MalformedEventException.class);
    }
}
