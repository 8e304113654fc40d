package id.optikmelati.api.product;

import id.optikmelati.api.product.ProductController.ProductStock;
import id.optikmelati.contract.AlertLevel;
import id.optikmelati.contract.ProductType;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Products of one branch with their stock and alert level. */
@Component
public class ProductQuery {

    private final JdbcClient jdbc;

    ProductQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param like a lower-case LIKE pattern on name or code (escaped), or null
     * @param kode an exact code (a barcode scan), or null
     */
    public List<ProductStock> list(long branch, ProductType type, String like, String kode) {
        return jdbc.sql("""
                        select p.id, p.kode, p.name, p.type, p.price, s.branch_id, s.quantity
                        from product p join stock s on s.product_id = p.id
                        where s.branch_id = :branch
                          and (cast(:type as text) is null or p.type = cast(:type as text))
                          and (cast(:kode as text) is null or p.kode = cast(:kode as text))
                          and (cast(:like as text) is null
                               or lower(p.name) like cast(:like as text) escape '\\'
                               or lower(p.kode) like cast(:like as text) escape '\\')
                        order by p.type, p.kode
                        """)
                .param("branch", branch)
                .param("type", type == null ? null : type.name())
                .param("kode", kode)
                .param("like", like)
                .query((rs, i) -> row(rs))
                .list();
    }

    /** The branch's products at or below the low level (≤5), fewest first: the navbar's list. */
    public List<ProductStock> lowStock(long branch) {
        return jdbc.sql("""
                        select p.id, p.kode, p.name, p.type, p.price, s.branch_id, s.quantity
                        from product p join stock s on s.product_id = p.id
                        where s.branch_id = :branch and s.quantity <= :low
                        order by s.quantity, p.kode
                        """)
                .param("branch", branch)
                .param("low", AlertLevel.LOW_MAX)
                .query((rs, i) -> row(rs))
                .list();
    }

    public static String likePattern(String q) {
        String s = q.trim().toLowerCase(Locale.ROOT);
        return "%" + s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static ProductStock row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new ProductStock(rs.getLong("id"), rs.getString("kode"), rs.getString("name"),
                ProductType.valueOf(rs.getString("type")), rs.getLong("price"), rs.getLong("branch_id"),
                rs.getInt("quantity"), AlertLevel.of(rs.getInt("quantity")).wireName());
    }
}
