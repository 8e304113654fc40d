package id.optikmelati.realtime.screen;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ScreenMessages;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.contract.ShopPrincipal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The one place that decides who sees what: for an event, an endpoint and a viewer, the SSE message
 * (event name and JSON data) the viewer gets, or nothing. A KASIR or ADMIN never gets another
 * branch's event, live or in replay; new-sale notifications go to admins only.
 *
 * <p>What a viewer gets depends only on the endpoint and whether they are an admin, so each event
 * is projected (and serialized) at most once per such audience, not once per connection ({@link
 * Deliverable}).
 */
public final class Visibility {

    /** How many audiences an event is projected for: each endpoint, for admins and for the rest. */
    public static final int AUDIENCES = Endpoint.values().length * 2;

    private Visibility() {}

    /** An SSE message before it gets its id: its event name and its data, UTF-8 JSON. */
    public record Message(String name, byte[] data) {}

    /** The slot of an audience, 0 to {@link #AUDIENCES} - 1. */
    public static int audience(Endpoint endpoint, boolean admin) {
        return endpoint.ordinal() * 2 + (admin ? 1 : 0);
    }

    /** What the viewer sees of this event on this endpoint, if anything. */
    public static Optional<Message> messageFor(Deliverable d, Endpoint endpoint, ShopPrincipal viewer) {
        if (!viewer.mayAccessBranch(d.event().branchId())) {
            return Optional.empty();
        }
        return d.projectionFor(endpoint, viewer.role().isAdmin());
    }

    /** What an audience sees of an event; the same for every viewer of the audience. */
    static Optional<Message> project(ShopEvent e, Endpoint endpoint, boolean admin) {
        return switch (e.type()) {
            case STOCK_CHANGED -> stock(e, endpoint);
            case SALE_CREATED -> sale(e, endpoint, admin);
            case ORDER_READY -> notifies(endpoint) ? notification(orderReady(e.dataAs(Payloads.OrderReady.class)))
                    : Optional.empty();
            case STOCK_FORECAST -> notifies(endpoint)
                    ? notification(ScreenMessages.StockForecast.of(e.dataAs(Payloads.StockForecast.class)))
                    : Optional.empty();
            case PRODUCT_CHANGED -> endpoint == Endpoint.STOCK_UPDATES || endpoint == Endpoint.DASHBOARD
                    ? Optional.of(asPublished(ScreenMessages.PRODUCT, e)) : Optional.empty();
            case SALE_RETURNED -> saleReturned(e, endpoint, admin);
            // the accounts of a branch are its admins' business
            case USER_CHANGED -> endpoint == Endpoint.DASHBOARD && admin
                    ? Optional.of(asPublished(ScreenMessages.USER, e)) : Optional.empty();
            // both branches of a transfer see each step where they look at stock
            case TRANSFER_CHANGED -> endpoint == Endpoint.STOCK_UPDATES || endpoint == Endpoint.DASHBOARD
                    ? Optional.of(asPublished(ScreenMessages.TRANSFER, e)) : Optional.empty();
            // the orders list and the navbar's overdue count, on every page of the branch
            case ORDER_CHANGED -> endpoint == Endpoint.DASHBOARD
                    ? Optional.of(asPublished(ScreenMessages.ORDER, e)) : Optional.empty();
            // every page shows a closed day (the dashboard's card, the till); the day-close page reloads
            case DAY_CHANGED -> endpoint == Endpoint.DASHBOARD
                    ? Optional.of(asPublished(ScreenMessages.DAY, e)) : Optional.empty();
        };
    }

    /** The payload as it was published, under this name. */
    private static Message asPublished(String name, ShopEvent e) {
        return new Message(name, e.data().getBytes(StandardCharsets.UTF_8));
    }

    /** Orders ready and stockout forecasts go to the notification stream and the dashboard. */
    private static boolean notifies(Endpoint endpoint) {
        return endpoint == Endpoint.NOTIFICATIONS || endpoint == Endpoint.DASHBOARD;
    }

    private static Optional<Message> stock(ShopEvent e, Endpoint endpoint) {
        return switch (endpoint) {
            // the payload as it came: the stock screens get the old system's shape, no need to parse it
            case STOCK_UPDATES, DASHBOARD -> Optional.of(asPublished(ScreenMessages.STOCK, e));
            case NOTIFICATIONS -> {
                Payloads.StockChanged changed = e.dataAs(Payloads.StockChanged.class);
                List<Payloads.StockUpdate> critical = changed.updates().stream()
                        .filter(Payloads.StockUpdate::becameCritical).toList();
                yield critical.isEmpty() ? Optional.empty() : notification(new ScreenMessages.StockCritical(
                        e.branchId(), critical.get(0).branchName(), critical));
            }
            case OMSET_KASIR -> Optional.empty();
        };
    }

    private static Optional<Message> sale(ShopEvent e, Endpoint endpoint, boolean admin) {
        Payloads.SaleCreated sale = e.dataAs(Payloads.SaleCreated.class);
        return switch (endpoint) {
            case OMSET_KASIR -> Optional.of(new Message(ScreenMessages.OMSET, EventCodec.toJsonBytes(sale.omset())));
            case NOTIFICATIONS -> admin ? notification(newSale(sale)) : Optional.empty();
            case DASHBOARD -> Optional.of(new Message(ScreenMessages.SALE, EventCodec.toJsonBytes(
                    new ScreenMessages.Sale(sale, sale.omset(), admin ? newSale(sale) : null))));
            case STOCK_UPDATES -> Optional.empty();
        };
    }

    private static Optional<Message> saleReturned(ShopEvent e, Endpoint endpoint, boolean admin) {
        Payloads.SaleReturned r = e.dataAs(Payloads.SaleReturned.class);
        ScreenMessages.ReturnNotice notice = new ScreenMessages.ReturnNotice(r.branchId(), r.branchName(), r.saleId(),
                r.invoiceNo(), r.kind(), r.amount(), r.returnedBy());
        return switch (endpoint) {
            case OMSET_KASIR -> Optional.of(new Message(ScreenMessages.OMSET, EventCodec.toJsonBytes(r.omset())));
            case NOTIFICATIONS -> admin ? notification(notice) : Optional.empty();
            case DASHBOARD -> Optional.of(new Message(ScreenMessages.SALE_RETURN, EventCodec.toJsonBytes(
                    new ScreenMessages.SaleReturn(r, r.omset(), admin ? notice : null))));
            case STOCK_UPDATES -> Optional.empty();
        };
    }

    private static Optional<Message> notification(ScreenMessages.Notification n) {
        return Optional.of(new Message(ScreenMessages.NOTIFICATION, EventCodec.toJsonBytes(n)));
    }

    private static ScreenMessages.NewSale newSale(Payloads.SaleCreated sale) {
        return new ScreenMessages.NewSale(sale.branchId(), sale.branchName(), sale.saleId(), sale.invoiceNo(),
                sale.total(), sale.paymentType(), sale.cashier());
    }

    private static ScreenMessages.OrderReady orderReady(Payloads.OrderReady order) {
        return new ScreenMessages.OrderReady(order.branchId(), order.branchName(), order.orderId(), order.orderNo(),
                order.customerName());
    }
}
