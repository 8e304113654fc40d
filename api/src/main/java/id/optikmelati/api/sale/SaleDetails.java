package id.optikmelati.api.sale;

import com.fasterxml.jackson.annotation.JsonProperty;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.PaymentType;
import id.optikmelati.contract.ReturnKind;
import id.optikmelati.contract.SaleStatus;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** One sale as its detail page and its receipt show it: lines, returns, who did what when. */
@Component
public class SaleDetails {

    private final JdbcClient jdbc;
    private final BranchAccess branchAccess;

    SaleDetails(JdbcClient jdbc, BranchAccess branchAccess) {
        this.jdbc = jdbc;
        this.branchAccess = branchAccess;
    }

    public record SaleDetail(long id, String invoiceNo, long branchId, String branchName, String cashier,
            PaymentType paymentType, String customerName, long total, long returnedTotal, long netTotal,
            SaleStatus status, Instant createdAt, LocalDate businessDate, List<Line> items, List<Return> returns) {

        @JsonProperty("voided")
        public boolean voided() {
            return status == SaleStatus.VOIDED;
        }

        /** The void's reason, when it was voided by a void (not by returning every item). */
        @JsonProperty("voidReason")
        public String voidReason() {
            return returns.stream().filter(r -> r.kind() == ReturnKind.VOID).map(Return::reason).findFirst().orElse(null);
        }
    }

    public record Line(long productId, String kode, String name, int quantity, int returnedQuantity, long unitPrice,
            long subtotal) {}

    public record Return(long id, ReturnKind kind, String reason, long amount, String by, Instant at,
            LocalDate businessDate, List<ReturnLine> items) {}

    public record ReturnLine(long productId, String kode, String name, int quantity, long unitPrice) {}

    /** The sale, for a user who may see its branch; 404 when there is none. */
    @Transactional(readOnly = true)
    public SaleDetail of(ShopPrincipal user, long id) {
        SaleDetail sale = read(id);
        branchAccess.check(user, sale.branchId());
        return sale;
    }

    SaleDetail read(long id) {
        record Head(long id, String invoiceNo, long branchId, String branchName, String cashier, PaymentType paymentType,
                String customerName, long total, SaleStatus status, Instant createdAt, LocalDate businessDate) {}
        Head h = jdbc.sql("""
                        select s.id, s.invoice_no, s.branch_id, b.name as branch_name, u.username, s.payment_type,
                               s.customer_name, s.total, s.status, s.created_at, s.business_date
                        from sale s join branch b on b.id = s.branch_id join app_user u on u.id = s.cashier_id
                        where s.id = :id
                        """)
                .param("id", id)
                .query((rs, i) -> new Head(rs.getLong("id"), rs.getString("invoice_no"), rs.getLong("branch_id"),
                        rs.getString("branch_name"), rs.getString("username"),
                        PaymentType.valueOf(rs.getString("payment_type")), rs.getString("customer_name"),
                        rs.getLong("total"), SaleStatus.valueOf(rs.getString("status")),
                        rs.getTimestamp("created_at").toInstant(), rs.getDate("business_date").toLocalDate()))
                .optional().orElseThrow(() -> ApiProblem.notFound("unknown-sale", id));
        List<Line> lines = jdbc.sql("""
                        select i.product_id, p.kode, p.name, i.quantity, i.returned_quantity, i.unit_price
                        from sale_item i join product p on p.id = i.product_id
                        where i.sale_id = :id order by i.id
                        """)
                .param("id", id)
                .query((rs, i) -> new Line(rs.getLong("product_id"), rs.getString("kode"), rs.getString("name"),
                        rs.getInt("quantity"), rs.getInt("returned_quantity"), rs.getLong("unit_price"),
                        rs.getInt("quantity") * rs.getLong("unit_price")))
                .list();
        Map<Long, List<ReturnLine>> returnLines = new LinkedHashMap<>();
        jdbc.sql("""
                        select ri.return_id, ri.product_id, p.kode, p.name, ri.quantity, ri.unit_price
                        from sale_return_item ri join sale_return r on r.id = ri.return_id
                        join product p on p.id = ri.product_id
                        where r.sale_id = :id order by ri.id
                        """)
                .param("id", id)
                .query((rs, i) -> returnLines.computeIfAbsent(rs.getLong("return_id"), k -> new ArrayList<>())
                        .add(new ReturnLine(rs.getLong("product_id"), rs.getString("kode"), rs.getString("name"),
                                rs.getInt("quantity"), rs.getLong("unit_price"))))
                .list();
        List<Return> returns = jdbc.sql("""
                        select r.id, r.kind, r.reason, r.amount, u.username, r.created_at, r.business_date
                        from sale_return r join app_user u on u.id = r.created_by
                        where r.sale_id = :id order by r.id
                        """)
                .param("id", id)
                .query((rs, i) -> new Return(rs.getLong("id"), ReturnKind.valueOf(rs.getString("kind")),
                        rs.getString("reason"), rs.getLong("amount"), rs.getString("username"),
                        rs.getTimestamp("created_at").toInstant(), rs.getDate("business_date").toLocalDate(),
                        returnLines.getOrDefault(rs.getLong("id"), List.of())))
                .list();
        long returned = returns.stream().mapToLong(Return::amount).sum();
        return new SaleDetail(h.id(), h.invoiceNo(), h.branchId(), h.branchName(), h.cashier(), h.paymentType(),
                h.customerName(), h.total(), returned, h.total() - returned, h.status(), h.createdAt(), h.businessDate(),
                lines, returns);
    }
}
