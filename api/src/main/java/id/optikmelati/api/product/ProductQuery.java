package id.optikmelati.api.product;

import id.optikmelati.api.product.ProductController.ProductStock;
import id.optikmelati.contract.AlertLevel;
import id.optikmelati.contract.ProductType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Products of one branch with their stock and alert level. */
@Component
public class ProductQuery {

    private static final String COLUMNS = """
            p.id, p.kode, p.barcode, p.name, p.brand, p.type, p.price, p.active, p.version, s.branch_id, s.quantity""";

    private final JdbcClient jdbc;

    ProductQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param like a lower-case LIKE pattern on name, code, barcode or brand (escaped), or null
     * @param code an exact code or barcode (a scan), or null
     * @param includeInactive whether products no longer sold are listed too (the catalogue's page)
     */
    public List<ProductStock> list(long branch, ProductType type, String like, String code, boolean includeInactive) {
        return jdbc.sql("select " + COLUMNS + """

                        from product p join stock s on s.product_id = p.id
                        where s.branch_id = :branch
                          and (p.active or :inactive)
                          and (cast(:type as text) is null or p.type = cast(:type as text))
                          and (cast(:code as text) is null or upper(p.kode) = upper(cast(:code as text))
                               or p.barcode = cast(:code as text))
                          and (cast(:like as text) is null
                               or lower(p.name) like cast(:like as text) escape '\\'
                               or lower(p.kode) like cast(:like as text) escape '\\'
                               or lower(p.brand) like cast(:like as text) escape '\\'
                               or lower(coalesce(p.barcode, '')) like cast(:like as text) escape '\\')
                        order by p.type, p.kode
                        """)
                .param("branch", branch)
                .param("inactive", includeInactive)
                .param("type", type == null ? null : type.name())
                .param("code", code)
                .param("like", like)
                .query((rs, i) -> row(rs))
                .list();
    }

    /** The branch's active products at or below the low level, fewest first: the navbar's list. */
    public List<ProductStock> lowStock(long branch) {
        return jdbc.sql("select " + COLUMNS + """

                        from product p join stock s on s.product_id = p.id
                        where s.branch_id = :branch and s.quantity <= :low and p.active
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

    private static ProductStock row(ResultSet rs) throws SQLException {
        int quantity = rs.getInt("quantity");
        return new ProductStock(rs.getLong("id"), rs.getString("kode"), rs.getString("barcode"), rs.getString("name"),
                rs.getString("brand"), ProductType.valueOf(rs.getString("type")), rs.getLong("price"),
                rs.getBoolean("active"), rs.getLong("version"), rs.getLong("branch_id"), quantity,
                AlertLevel.of(quantity).wireName());
    }
}
