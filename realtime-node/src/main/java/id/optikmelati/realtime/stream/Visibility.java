package id.optikmelati.realtime.stream;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.contract.ShopPrincipal;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that decides who sees what: for an event, an endpoint and a viewer, the SSE message
 * (event name and JSON data) the viewer gets, or nothing. A KASIR or ADMIN never gets another
 * branch's event, live or in replay; new-sale notifications go to admins only.
 *
 * <p>What a viewer gets depends only on the endpoint and whether they are an admin, so each event
 * is projected (and serialized) at most once per such audience, not once per connection.
 */
public final class Visibility {

    public static final String STOCK = "stock";
    public static final String OMSET = "omset";
    public static final String SALE = "sale";
    public static final String NOTIFICATION = "notification";

    private static final Locale INDONESIA = Locale.forLanguageTag("id-ID");

    /** How many audiences an event is projected for: each endpoint, for admins and for the rest. */
    static final int AUDIENCES = Endpoint.values().length * 2;

    private Visibility() {}

    /** An SSE message before it gets its id: its event name and its data, UTF-8 JSON. */
    public record Message(String name, byte[] data) {}

    /** An event with its projections, computed on first need and shared by every connection. */
    public static final class Deliverable {
        private final ShopEvent event;
        private final Optional<Message>[] projections;
        private final byte[][] chunks;

        @SuppressWarnings("unchecked")
        Deliverable(ShopEvent event) {
            this.event = event;
            this.projections = new Optional[AUDIENCES];
            this.chunks = new byte[AUDIENCES][];
        }

        public ShopEvent event() {
            return event;
        }

        Optional<Message> projectionFor(Endpoint endpoint, boolean admin) {
            int slot = audience(endpoint, admin);
            Optional<Message> p = projections[slot];
            if (p == null) {
                p = project(event, endpoint, admin); // benign race: same result either way
                projections[slot] = p;
            }
            return p;
        }

        /**
         * The wire bytes of this event for a viewer whose view is this one branch, as an HTTP chunk:
         * the id is then {@code <branch>:<seq>} for all of them, so it is encoded once per audience.
         */
        byte[] singleBranchChunk(Endpoint endpoint, boolean admin, Message message) {
            int slot = audience(endpoint, admin);
            byte[] c = chunks[slot];
            if (c == null) {
                c = SseFrames.eventChunk(event.branchId() + ":" + event.seq(), message.name(), message.data());
                chunks[slot] = c; // benign race: same bytes either way
            }
            return c;
        }

        /**
         * Drops what was computed for the live hand-over. The event stays in the replay window for
         * a minute or more, and a replay computes what it needs again; holding only the payload text
         * makes a windowed event less than half the size, and windowed events are nearly all that
         * each young GC has to copy.
         */
        void forgetFrames() {
            Arrays.fill(projections, null);
            Arrays.fill(chunks, null);
        }
    }

    static int audience(Endpoint endpoint, boolean admin) {
        return endpoint.ordinal() * 2 + (admin ? 1 : 0);
    }

    public static Deliverable deliverable(ShopEvent event) {
        return new Deliverable(event);
    }

    /** What the viewer sees of this event on this endpoint, if anything. */
    public static Optional<Message> messageFor(Deliverable d, Endpoint endpoint, ShopPrincipal viewer) {
        if (!viewer.mayAccessBranch(d.event().branchId())) {
            return Optional.empty();
        }
        return d.projectionFor(endpoint, viewer.role().isAdmin());
    }

    private static Optional<Message> project(ShopEvent e, Endpoint endpoint, boolean admin) {
        return switch (e.type()) {
            case STOCK_CHANGED -> stock(e, endpoint);
            case SALE_CREATED -> sale(e, endpoint, admin);
            case ORDER_READY -> endpoint == Endpoint.NOTIFICATIONS || endpoint == Endpoint.DASHBOARD
                    ? Optional.of(notification(orderReady(e.dataAs(Payloads.OrderReady.class))))
                    : Optional.empty();
            case STOCK_FORECAST -> endpoint == Endpoint.NOTIFICATIONS || endpoint == Endpoint.DASHBOARD
                    ? Optional.of(notification(stockForecast(e.dataAs(Payloads.StockForecast.class))))
                    : Optional.empty();
        };
    }

    private static Optional<Message> stock(ShopEvent e, Endpoint endpoint) {
        return switch (endpoint) {
            // the payload as it came: the stock screens get the old system's shape, no need to parse it
            case STOCK_UPDATES, DASHBOARD -> Optional.of(new Message(STOCK, e.data().getBytes(StandardCharsets.UTF_8)));
            case NOTIFICATIONS -> {
                List<Payloads.StockUpdate> critical = e.dataAs(Payloads.StockChanged.class).updates().stream()
                        .filter(Payloads.StockUpdate::becameCritical).toList();
                yield critical.isEmpty() ? Optional.empty() : Optional.of(notification(stockCritical(critical)));
            }
            case OMSET_KASIR -> Optional.empty();
        };
    }

    private static Optional<Message> sale(ShopEvent e, Endpoint endpoint, boolean admin) {
        Payloads.SaleCreated sale = e.dataAs(Payloads.SaleCreated.class);
        return switch (endpoint) {
            case OMSET_KASIR -> Optional.of(new Message(OMSET, EventCodec.toJsonBytes(sale.omset())));
            case NOTIFICATIONS -> admin ? Optional.of(notification(newSale(sale))) : Optional.empty();
            case DASHBOARD -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("sale", sale);
                data.put("omset", sale.omset());
                if (admin) {
                    data.put("notification", newSale(sale));
                }
                yield Optional.of(new Message(SALE, EventCodec.toJsonBytes(data)));
            }
            case STOCK_UPDATES -> Optional.empty();
        };
    }

    private static Message notification(Map<String, Object> body) {
        return new Message(NOTIFICATION, EventCodec.toJsonBytes(body));
    }

    private static Map<String, Object> newSale(Payloads.SaleCreated sale) {
        Map<String, Object> n = base("sale", "info", sale.branchId(), sale.branchName());
        n.put("message", "Transaksi baru " + sale.invoiceNo() + " " + rupiah(sale.total()) + " ("
                + sale.paymentType() + ") oleh " + sale.cashier());
        n.put("invoiceNo", sale.invoiceNo());
        n.put("total", sale.total());
        n.put("paymentType", sale.paymentType());
        n.put("cashier", sale.cashier());
        return n;
    }

    private static Map<String, Object> orderReady(Payloads.OrderReady order) {
        Map<String, Object> n = base("order_ready", "success", order.branchId(), order.branchName());
        n.put("message", "Pesanan " + order.orderNo() + " atas nama " + order.customerName() + " siap diambil");
        n.put("orderId", order.orderId());
        n.put("orderNo", order.orderNo());
        n.put("customerName", order.customerName());
        return n;
    }

    private static Map<String, Object> stockForecast(Payloads.StockForecast f) {
        Map<String, Object> n = base("stock_forecast", "warning", f.branchId(), f.branchName());
        long days = Math.max(1, Math.round(Math.ceil(f.daysUntilStockout())));
        n.put("message", f.productName() + " akan habis dalam " + days + " hari (sisa " + f.stock() + ")");
        n.put("productId", f.productId());
        n.put("kode", f.kode());
        n.put("daysUntilStockout", f.daysUntilStockout());
        n.put("stock", f.stock());
        return n;
    }

    private static Map<String, Object> stockCritical(List<Payloads.StockUpdate> critical) {
        Payloads.StockUpdate first = critical.get(0);
        Map<String, Object> n = base("stock_critical", "danger", first.branchId(), first.branchName());
        n.put("message", "Stok kritis: " + String.join(", ", critical.stream()
                .map(u -> u.productName() + " (sisa " + u.newStock() + ")").toList()));
        n.put("products", critical);
        return n;
    }

    private static Map<String, Object> base(String kind, String level, long branchId, String branchName) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("kind", kind);
        n.put("level", level);
        n.put("branchId", branchId);
        n.put("branchName", branchName);
        return n;
    }

    private static String rupiah(long amount) {
        return "Rp " + NumberFormat.getIntegerInstance(INDONESIA).format(amount);
    }
}
