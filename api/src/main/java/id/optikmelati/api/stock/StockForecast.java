package id.optikmelati.api.stock;

import id.optikmelati.api.ShopProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * When each product will run out: its daily sales rate, a moving average over the forecast window
 * (28 days), divides its stock. The method is checked on held-out history: the window before the
 * last one predicts the last one's sales, and the error is reported with every forecast.
 */
@Component
public class StockForecast {

    private final JdbcClient jdbc;
    private final ShopProperties.Reports config;
    private final Clock clock;
    private final MessageSource messages;

    StockForecast(JdbcClient jdbc, ShopProperties properties, Clock clock, MessageSource messages) {
        this.jdbc = jdbc;
        this.config = properties.reports();
        this.clock = clock;
        this.messages = messages;
    }

    public record ProductForecast(long productId, String kode, String name, int stock, double dailyRate,
            Double daysUntilStockout, long reorderQuantity, boolean runsOutWithinLeadTime) {}

    public record Backtest(String window, long products, double meanAbsoluteError, Double meanAbsolutePercentageError) {}

    public record Forecast(String method, long branchId, double windowDays, double leadTimeDays, double safetyDays,
            Backtest backtest, List<ProductForecast> products) {}

    public double windowDays() {
        return config.forecastWindow().toSeconds() / 86400.0;
    }

    public double leadTimeDays() {
        return config.leadTime().toSeconds() / 86400.0;
    }

    /** Units of a product sold in a branch between two instants, less those returned meanwhile. */
    private String soldBetween() {
        return "coalesce(sum(-m.delta) filter (where m.kind in ('SOLD', 'RETURNED') and m.at >= :%s and m.at < :%s), 0)";
    }

    /** The branch's forecast, with its method and backtest described in {@code locale}'s language. */
    public Forecast of(long branch, Locale locale) {
        Instant now = clock.instant();
        Instant start = now.minus(config.forecastWindow());
        Instant before = start.minus(config.forecastWindow());
        double days = windowDays();
        record Row(long id, String kode, String name, int stock, long recent, long previous) {}
        List<Row> rows = jdbc.sql("""
                        select p.id, p.kode, p.name, s.quantity,
                               %s as recent, %s as previous
                        from stock s join product p on p.id = s.product_id
                        left join stock_movement m on m.branch_id = s.branch_id and m.product_id = s.product_id
                             and m.at >= :before
                        where s.branch_id = :branch
                        group by p.id, p.kode, p.name, s.quantity
                        """.formatted(soldBetween().formatted("start", "now"), soldBetween().formatted("before", "start")))
                .param("branch", branch).param("start", java.sql.Timestamp.from(start))
                .param("now", java.sql.Timestamp.from(now)).param("before", java.sql.Timestamp.from(before))
                .query((rs, i) -> new Row(rs.getLong("id"), rs.getString("kode"), rs.getString("name"),
                        rs.getInt("quantity"), rs.getLong("recent"), rs.getLong("previous")))
                .list();
        List<ProductForecast> products = new ArrayList<>();
        double absError = 0;
        double pctError = 0;
        long tested = 0;
        long withSales = 0;
        for (Row r : rows) {
            double rate = r.recent() / days;
            products.add(forecast(r.id(), r.kode(), r.name(), r.stock(), rate));
            if (r.previous() > 0 || r.recent() > 0) {
                tested++;
                // held out: the previous window's rate predicts the recent window's sales
                absError += Math.abs(r.previous() - r.recent());
                if (r.recent() > 0) {
                    pctError += Math.abs(r.previous() - r.recent()) / (double) r.recent();
                    withSales++;
                }
            }
        }
        products.sort((a, b) -> Double.compare(
                a.daysUntilStockout() == null ? Double.MAX_VALUE : a.daysUntilStockout(),
                b.daysUntilStockout() == null ? Double.MAX_VALUE : b.daysUntilStockout()));
        double safetyDays = config.safetyStock().toSeconds() / 86400.0;
        Backtest backtest = new Backtest(messages.getMessage("report.forecast.backtest", new Object[] {days}, locale),
                tested, tested == 0 ? 0 : round(absError / tested), withSales == 0 ? null : round(pctError / withSales));
        return new Forecast(messages.getMessage("report.forecast.method", new Object[] {days, leadTimeDays(), safetyDays},
                locale), branch, days, leadTimeDays(), safetyDays, backtest, products);
    }

    /** A product's forecast from its stock and daily rate. */
    public ProductForecast forecast(long id, String kode, String name, int stock, double rate) {
        Double daysLeft = rate > 0 ? round(stock / rate) : null;
        double cover = leadTimeDays() + config.safetyStock().toSeconds() / 86400.0;
        long reorder = rate > 0 ? Math.max(0, (long) Math.ceil(rate * cover) - stock) : 0;
        return new ProductForecast(id, kode, name, stock, round(rate), daysLeft, reorder,
                daysLeft != null && daysLeft < leadTimeDays());
    }

    /** The daily sales rate of products of a branch over the forecast window (for the early warning after a sale). */
    public Map<Long, Double> rates(long branch, List<Long> productIds) {
        Instant now = clock.instant();
        Map<Long, Double> rates = new java.util.HashMap<>();
        jdbc.sql("""
                        select product_id, coalesce(sum(-delta), 0) as sold from stock_movement
                        where branch_id = :branch and product_id in (:ids) and kind in ('SOLD', 'RETURNED')
                          and at >= :start
                        group by product_id
                        """)
                .param("branch", branch).param("ids", productIds)
                .param("start", java.sql.Timestamp.from(now.minus(config.forecastWindow())))
                .query((rs, i) -> rates.put(rs.getLong("product_id"), rs.getLong("sold") / windowDays()))
                .list();
        return rates;
    }

    public static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

}
