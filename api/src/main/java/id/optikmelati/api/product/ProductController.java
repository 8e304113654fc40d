package id.optikmelati.api.product;

import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.AlertLevel;
import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.ShopPrincipal;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/products")
class ProductController {

    private final JdbcClient jdbc;
    private final BranchAccess branchAccess;

    ProductController(JdbcClient jdbc, BranchAccess branchAccess) {
        this.jdbc = jdbc;
        this.branchAccess = branchAccess;
    }

    record ProductStock(long id, String kode, String name, ProductType type, long price, long branchId, int stock,
            String alertLevel) {}

    /** The products of one branch with their stock; a super admin names the branch. */
    @GetMapping
    List<ProductStock> list(@CurrentUser ShopPrincipal user,
            @RequestParam(required = false) ProductType type,
            @RequestParam(required = false) Long branchId,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String kode) {
        long branch = branchAccess.resolve(user, branchId);
        if (q != null && q.length() > 100) {
            throw ApiProblem.badRequest("query-too-long");
        }
        String like = q == null || q.isBlank() ? null : "%" + escapeLike(q.trim().toLowerCase(Locale.ROOT)) + "%";
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
                .param("kode", kode == null || kode.isBlank() ? null : kode.trim().toUpperCase(Locale.ROOT))
                .param("like", like)
                .query((rs, i) -> new ProductStock(rs.getLong("id"), rs.getString("kode"), rs.getString("name"),
                        ProductType.valueOf(rs.getString("type")), rs.getLong("price"), rs.getLong("branch_id"),
                        rs.getInt("quantity"), AlertLevel.of(rs.getInt("quantity")).wireName()))
                .list();
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
