package id.optikmelati.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * docs/event-contract.md against the code, with a JSON Schema (2020-12) validator: every example
 * matches its schema and decodes with {@link EventCodec} unchanged, and what the code writes for
 * every payload and every message a screen receives matches the schema too, types and enums
 * included (no property the schema lacks: each object there closes itself).
 */
class EventContractDocTest {

    private static final Pattern BLOCK = Pattern.compile("```json (schema|example) (\\S+)\\n(.*?)```", Pattern.DOTALL);
    private static final Map<String, Class<?>> PAYLOADS = Map.of(
            "sale.created", Payloads.SaleCreated.class,
            "stock.changed", Payloads.StockChanged.class,
            "order.ready", Payloads.OrderReady.class,
            "stock.forecast", Payloads.StockForecast.class,
            "product.changed", Payloads.ProductChanged.class,
            "sale.returned", Payloads.SaleReturned.class,
            "user.changed", Payloads.UserChanged.class,
            "transfer.changed", Payloads.TransferChanged.class);
    private static final List<String> SCREEN_MESSAGES = List.of("screen.sale", "screen.sale-return",
            "screen.notification", "screen.reset", "screen.reconnect", "screen.token-expired");
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Instant AT = Instant.parse("2026-11-25T03:15:42.118Z");

    static Map<String, Schema> schemas = new LinkedHashMap<>();
    static Map<String, String> examples = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "event-contract.md"));
        Matcher m = BLOCK.matcher(doc);
        while (m.find()) {
            if (m.group(1).equals("schema")) {
                schemas.put(m.group(2), REGISTRY.getSchema(m.group(3), InputFormat.JSON));
            } else {
                examples.put(m.group(2), m.group(3));
            }
        }
    }

    /** The schema's complaints about {@code json}; none when it conforms. */
    private static List<String> violations(String schema, String json) {
        assertThat(schemas).as("a schema named " + schema).containsKey(schema);
        return schemas.get(schema).validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    private static void conforms(String schema, Object written) {
        String json = EventCodec.toJson(written);
        assertThat(violations(schema, json)).as(schema + ": " + json).isEmpty();
    }

    @Test
    void everyEventTypeAndScreenMessageHasASchemaAndAnExample() {
        for (EventType type : EventType.values()) {
            assertThat(schemas).containsKey(type.wireName());
            assertThat(examples).containsKey(type.wireName());
        }
        assertThat(schemas).containsKey("envelope");
        assertThat(schemas.keySet()).containsAll(SCREEN_MESSAGES);
        assertThat(examples.keySet()).containsAll(SCREEN_MESSAGES);
    }

    @Test
    void everyEventExampleMatchesItsSchema() {
        examples.forEach((type, json) -> {
            if (PAYLOADS.containsKey(type)) {
                assertThat(violations("envelope", json)).as(type + " envelope").isEmpty();
                JsonNode data = EventCodec.mapper().readTree(json).get("data");
                assertThat(violations(type, data.toString())).as(type).isEmpty();
            }
        });
    }

    @Test
    void everyScreenMessageExampleMatchesItsSchema() {
        for (String message : SCREEN_MESSAGES) {
            assertThat(violations(message, examples.get(message))).as(message).isEmpty();
        }
    }

    @Test
    void everyEventExampleDecodesAndRoundTripsThroughItsPayloadType() {
        examples.forEach((type, json) -> {
            if (!PAYLOADS.containsKey(type)) {
                return;
            }
            ShopEvent event = EventCodec.decode(json);
            assertThat(event.type().wireName()).isEqualTo(type);
            Object payload = event.dataAs(PAYLOADS.get(type));
            // compared as parsed text: a tree built from a record holds ints where parsed text holds longs
            assertThat(EventCodec.mapper().readTree(EventCodec.toJson(payload))).as(type)
                    .isEqualTo(EventCodec.mapper().readTree(event.data()));
            assertThat(EventCodec.mapper().readTree(EventCodec.encode(event)))
                    .isEqualTo(EventCodec.mapper().readTree(json));
        });
    }

    @Test
    void whatTheCodeWritesForEveryPayloadMatchesItsSchema() {
        conforms("sale.created", sale());
        conforms("stock.changed", Payloads.StockChanged.of(AT, List.of(lowFrame(), fineLens()), "sale"));
        conforms("stock.changed", Payloads.StockChanged.of(AT, List.of(fineLens()), null));
        conforms("stock.changed", Payloads.StockChanged.of(AT, List.of(fineLens()), "restock", "SJ-0042"));
        for (String status : List.of("REQUESTED", "SENT", "RECEIVED", "CANCELLED")) {
            conforms("transfer.changed", new Payloads.TransferChanged(17, "TRF-1-20261125-002", 2, "Cabang Kemang", 1,
                    "Cabang Utama", status, List.of(new Payloads.TransferLine(12, "FR000012", "Ray-Ban Aviator RB3025", 8,
                            status.equals("RECEIVED") ? 7 : null)), status.equals("REQUESTED") ? "segera" : null,
                    "admin1", AT));
        }
        conforms("order.ready", new Payloads.OrderReady(88, "PSN-2-20261202-007", 2, "Cabang Kemang", "Bapak Hendra",
                "Kacamata progresif", AT));
        conforms("stock.forecast", forecast());
        conforms("product.changed", productChanged(null));
        conforms("product.changed", productChanged(1_500_000L));
        conforms("sale.returned", saleReturned());
        for (Role role : Role.values()) {
            conforms("user.changed", new Payloads.UserChanged(9, "pengguna", role,
                    role == Role.SUPER_ADMIN ? null : 1L, true, role == Role.KASIR, "created", "superadmin", AT));
        }
        conforms("envelope", EventCodec.mapper().readTree(EventCodec.encode(ShopEvent.of(1, 41, EventType.SALE_CREATED,
                AT, sale()))));
    }

    @Test
    void whatTheCodeWritesForEveryScreenMessageMatchesItsSchema() {
        Payloads.SaleCreated sale = sale();
        ScreenMessages.NewSale notice = new ScreenMessages.NewSale(1, "Cabang Utama", 1207, sale.invoiceNo(),
                sale.total(), PaymentType.BPJS, "kasir1");
        conforms("screen.sale", new ScreenMessages.Sale(sale, sale.omset(), notice));
        conforms("screen.sale", new ScreenMessages.Sale(sale, sale.omset(), null)); // a kasir's
        conforms("screen.notification", notice);
        conforms("screen.notification", new ScreenMessages.OrderReady(2, "Cabang Kemang", 88, "PSN-2-20261202-007",
                "Bapak Hendra"));
        conforms("screen.notification", new ScreenMessages.StockCritical(1, "Cabang Utama", List.of(lowFrame())));
        conforms("screen.notification", ScreenMessages.StockForecast.of(forecast()));
        for (ReturnKind kind : ReturnKind.values()) {
            ScreenMessages.ReturnNotice returned = new ScreenMessages.ReturnNotice(1, "Cabang Utama", 1207,
                    sale.invoiceNo(), kind, 350_000, "admin1");
            conforms("screen.notification", returned);
            conforms("screen.sale-return", new ScreenMessages.SaleReturn(saleReturned(), sale.omset(), returned));
        }
        conforms("screen.sale-return", new ScreenMessages.SaleReturn(saleReturned(), sale.omset(), null));
        for (ScreenMessages.ResetReason reason : ScreenMessages.ResetReason.values()) {
            conforms("screen.reset", new ScreenMessages.Reset(reason, List.of(
                    new ScreenMessages.BranchState(1, 45L, sale.omset(), List.of(lowFrame())),
                    new ScreenMessages.BranchState(2, null, Payloads.Omset.zero(LocalDate.of(2026, 11, 25), 2),
                            List.of()))));
        }
        for (ScreenMessages.ReconnectReason reason : ScreenMessages.ReconnectReason.values()) {
            conforms("screen.reconnect", new ScreenMessages.Reconnect(reason));
        }
        conforms("screen.token-expired", ScreenMessages.TokenExpired.expired());
        conforms("screen.token-expired", ScreenMessages.TokenExpired.revoked());
    }

    @Test
    void theSchemasRefuseWhatTheCodeMustNotWrite() {
        // an unknown reason, a notification without its fields, a sentence where a code belongs
        assertThat(violations("screen.reset", "{\"reason\":\"lost\",\"branches\":[]}")).isNotEmpty();
        assertThat(violations("screen.notification",
                "{\"kind\":\"order_ready\",\"level\":\"success\",\"branchId\":1,\"branchName\":\"A\"}")).isNotEmpty();
        assertThat(violations("screen.notification", "{\"kind\":\"sale\",\"level\":\"info\",\"branchId\":1,"
                + "\"branchName\":\"A\",\"saleId\":1,\"invoiceNo\":\"I\",\"total\":1,\"paymentType\":\"UMUM\","
                + "\"cashier\":\"k\",\"message\":\"Transaksi baru\"}")).isNotEmpty();
        assertThat(violations("stock.forecast", "{\"branchId\":\"1\"}")).isNotEmpty();
    }

    private static Payloads.SaleCreated sale() {
        return new Payloads.SaleCreated(1207, "INV-1-20261125-001207", 1, "Cabang Utama", 1_850_000, PaymentType.UMUM,
                "kasir1", "Ibu Sari", List.of(new Payloads.SaleItem(12, "FR000012", "Ray-Ban Aviator RB3025", 1, 1_850_000)),
                AT, new Payloads.Omset(LocalDate.of(2026, 11, 25), 1, 12_650_000, 2_400_000, 10_250_000, 9));
    }

    private static Payloads.StockUpdate lowFrame() {
        return Payloads.StockUpdate.of(ProductType.FRAME, 12, "Ray-Ban Aviator RB3025", "FR000012", 1, "Cabang Utama", 6, 5);
    }

    private static Payloads.StockUpdate fineLens() {
        return Payloads.StockUpdate.of(ProductType.LENS, 95, "Essilor Crizal", "LN000015", 1, "Cabang Utama", 28, 27);
    }

    private static Payloads.ProductChanged productChanged(Long previousPrice) {
        return new Payloads.ProductChanged(12, "FR000012", previousPrice == null ? null : "8991000000012",
                "Ray-Ban Aviator RB3025", "Ray-Ban", ProductType.FRAME, 1_650_000, previousPrice, true, 3,
                previousPrice == null, AT);
    }

    private static Payloads.SaleReturned saleReturned() {
        for (SaleStatus status : SaleStatus.values()) {
            assertThat(status.name()).isIn("COMPLETED", "PARTLY_RETURNED", "VOIDED"); // the schema's enum
        }
        return new Payloads.SaleReturned(31, 1207, "INV-1-20261125-001207", 1, "Cabang Utama", ReturnKind.RETURN,
                "lensa tergores", 350_000, PaymentType.UMUM,
                List.of(new Payloads.SaleItem(95, "LN000015", "Essilor Crizal", 1, 350_000)), SaleStatus.PARTLY_RETURNED,
                "admin1", AT, new Payloads.Omset(LocalDate.of(2026, 11, 25), 1, 12_300_000, 2_400_000, 9_900_000, 9));
    }

    private static Payloads.StockForecast forecast() {
        return new Payloads.StockForecast(1, "Cabang Utama", 95, "LN000015", "Essilor Crizal", 14, 2.21, 6.33, 7.0);
    }
}
