package id.optikmelati.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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
        var event = new ShopEvent(1, 7, EventType.STOCK_CHANGED, Instant.parse("2024-01-01T10:00:00.123456Z"),
                EventCodec.toTree(payload));

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
        var event = new ShopEvent(1, 1, EventType.SALE_CREATED, Instant.parse("2024-01-01T10:00:00Z"),
                EventCodec.toTree(sale));
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
        var event = new ShopEvent(branch, seq, EventType.ORDER_READY, Instant.ofEpochSecond(1_700_000_000L, 123_000),
                EventCodec.toTree(order));
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
}
