package id.optikmelati.realtime.screen;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.Role;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.contract.ShopPrincipal;
import id.optikmelati.realtime.TestEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Who sees what, as one table: for each kind of event and each stream, what a kasir, an admin and
 * a super admin get of their own branch's event; of another branch's, a kasir and an admin get
 * nothing on any stream and a super admin the same as of their own.
 */
class VisibilityTest {

    /**
     * event, stream, then what a KASIR, an ADMIN and a SUPER_ADMIN get ("-": nothing; "sale+",
     * "sale-return+": with the admins' notification).
     */
    private static final String TABLE = """
            sale            stock-updates   -                -                -
            sale            omset-kasir     omset            omset            omset
            sale            notifications   -                notification:sale  notification:sale
            sale            dashboard       sale             sale+            sale+
            stock           stock-updates   stock            stock            stock
            stock           omset-kasir     -                -                -
            stock           notifications   -                -                -
            stock           dashboard       stock            stock            stock
            stock-critical  stock-updates   stock            stock            stock
            stock-critical  omset-kasir     -                -                -
            stock-critical  notifications   notification:stock_critical  notification:stock_critical  notification:stock_critical
            stock-critical  dashboard       stock            stock            stock
            order-ready     stock-updates   -                -                -
            order-ready     omset-kasir     -                -                -
            order-ready     notifications   notification:order_ready  notification:order_ready  notification:order_ready
            order-ready     dashboard       notification:order_ready  notification:order_ready  notification:order_ready
            forecast        stock-updates   -                -                -
            forecast        omset-kasir     -                -                -
            forecast        notifications   notification:stock_forecast  notification:stock_forecast  notification:stock_forecast
            forecast        dashboard       notification:stock_forecast  notification:stock_forecast  notification:stock_forecast
            product         stock-updates   product          product          product
            product         omset-kasir     -                -                -
            product         notifications   -                -                -
            product         dashboard       product          product          product
            sale-return     stock-updates   -                -                -
            sale-return     omset-kasir     omset            omset            omset
            sale-return     notifications   -                notification:sale_returned  notification:sale_returned
            sale-return     dashboard       sale-return      sale-return+     sale-return+
            user            stock-updates   -                -                -
            user            omset-kasir     -                -                -
            user            notifications   -                -                -
            user            dashboard       -                user             user
            transfer        stock-updates   transfer         transfer         transfer
            transfer        omset-kasir     -                -                -
            transfer        notifications   -                -                -
            transfer        dashboard       transfer         transfer         transfer
            """;

    private static final Map<String, BiFunction<Long, Long, ShopEvent>> EVENTS = Map.of(
            "sale", (branch, seq) -> TestEvents.sale(branch, seq, 250_000),
            "stock", (branch, seq) -> TestEvents.stock(branch, seq, 30, 29),
            "stock-critical", (branch, seq) -> TestEvents.stock(branch, seq, 6, 5),
            "order-ready", TestEvents::orderReady,
            "forecast", TestEvents::forecast,
            "product", TestEvents::productChanged,
            "sale-return", TestEvents::saleReturned,
            "user", TestEvents::userChanged,
            "transfer", TestEvents::transferChanged);

    private static final Role[] ROLES = {Role.KASIR, Role.ADMIN, Role.SUPER_ADMIN};

    private static ShopPrincipal viewer(Role role) {
        return new ShopPrincipal(9, role.name().toLowerCase(), role, role == Role.SUPER_ADMIN ? null : 1L,
                Instant.now().plusSeconds(3600), Instant.now(), null);
    }

    /** What a viewer gets, in the table's words. */
    private static String seen(ShopEvent event, Endpoint endpoint, ShopPrincipal viewer) {
        Optional<Visibility.Message> m = Visibility.messageFor(new Deliverable(event), endpoint, viewer);
        if (m.isEmpty()) {
            return "-";
        }
        JsonNode data = EventCodec.mapper().readTree(new String(m.get().data(), StandardCharsets.UTF_8));
        return switch (m.get().name()) {
            case "notification" -> "notification:" + data.get("kind").asString();
            case "sale", "sale-return" -> m.get().name() + (data.has("notification") ? "+" : "");
            default -> m.get().name();
        };
    }

    @Test
    void everyEventOnEveryStreamForEveryRoleAndBranch() {
        int rows = 0;
        for (String line : TABLE.strip().split("\n")) {
            String[] cell = line.trim().split("\\s+");
            Endpoint endpoint = Endpoint.named(cell[1]).orElseThrow();
            for (int r = 0; r < ROLES.length; r++) {
                ShopPrincipal viewer = viewer(ROLES[r]);
                String own = seen(EVENTS.get(cell[0]).apply(1L, 5L), endpoint, viewer);
                String other = seen(EVENTS.get(cell[0]).apply(2L, 5L), endpoint, viewer);
                assertThat(own).as("%s of branch 1 on %s for %s", cell[0], cell[1], ROLES[r]).isEqualTo(cell[2 + r]);
                assertThat(other).as("%s of branch 2 on %s for %s of branch 1", cell[0], cell[1], ROLES[r])
                        .isEqualTo(ROLES[r] == Role.SUPER_ADMIN ? cell[2 + r] : "-");
            }
            rows++;
        }
        assertThat(rows).isEqualTo(EVENTS.size() * Endpoint.values().length);
    }

    @Test
    void aStockEventGoesOutAsItWasPublishedInTheOldSystemsShape() {
        ShopEvent e = TestEvents.stock(1, 5, 30, 29);
        var m = Visibility.messageFor(new Deliverable(e), Endpoint.STOCK_UPDATES, viewer(Role.KASIR)).orElseThrow();
        assertThat(new String(m.data(), StandardCharsets.UTF_8)).isEqualTo(e.data());
    }

    @Test
    void notificationsCarryCodesAndFieldsNotSentences() {
        var m = Visibility.messageFor(new Deliverable(TestEvents.forecast(1, 5)), Endpoint.NOTIFICATIONS,
                viewer(Role.KASIR)).orElseThrow();
        JsonNode n = EventCodec.mapper().readTree(new String(m.data(), StandardCharsets.UTF_8));
        assertThat(n.get("level").asString()).isEqualTo("warning");
        assertThat(n.get("days").asLong()).isEqualTo(7); // 6.2 days, rounded up
        assertThat(n.get("stock").asInt()).isEqualTo(14);
        assertThat(n.has("message")).isFalse();
    }

    @Test
    void eachAudienceIsProjectedOnceAndItsFramesCanBeForgotten() {
        Deliverable d = new Deliverable(TestEvents.sale(1, 5, 100));
        var first = Visibility.messageFor(d, Endpoint.DASHBOARD, viewer(Role.ADMIN)).orElseThrow();
        assertThat(Visibility.messageFor(d, Endpoint.DASHBOARD, viewer(Role.SUPER_ADMIN)).orElseThrow()).isSameAs(first);
        byte[] chunk = d.singleBranchChunk(Endpoint.DASHBOARD, true, first);
        assertThat(d.singleBranchChunk(Endpoint.DASHBOARD, true, first)).isSameAs(chunk);
        d.forgetFrames();
        assertThat(Visibility.messageFor(d, Endpoint.DASHBOARD, viewer(Role.ADMIN)).orElseThrow()).isNotSameAs(first);
    }
}
