package id.optikmelati.api.transfer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Transfers and their lines, in SQL. */
@Repository
class TransferRepository {

    record Line(long productId, String kode, String productName, int quantity, Integer received) {}

    record Transfer(long id, String transferNo, long fromBranchId, String fromBranchName, long toBranchId,
            String toBranchName, TransferStatus status, String note, String requestedBy, Instant requestedAt,
            Instant sentAt, Instant receivedAt, Instant cancelledAt, List<Line> items) {}

    private static final String SELECT = """
            select t.id, t.transfer_no, t.from_branch_id, f.name as from_name, t.to_branch_id, d.name as to_name,
                   t.status, t.note, u.username as requested_by, t.requested_at, t.sent_at, t.received_at,
                   t.cancelled_at
            from stock_transfer t join branch f on f.id = t.from_branch_id join branch d on d.id = t.to_branch_id
                 join app_user u on u.id = t.requested_by
            """;

    private final JdbcClient jdbc;

    TransferRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String transferNo, long from, long to, String note, long userId, Instant at) {
        return jdbc.sql("""
                        insert into stock_transfer (transfer_no, from_branch_id, to_branch_id, status, note,
                                                    requested_by, requested_at)
                        values (:no, :from, :to, 'REQUESTED', :note, :user, :at) returning id""")
                .param("no", transferNo).param("from", from).param("to", to).param("note", note)
                .param("user", userId).param("at", Timestamp.from(at)).query(Long.class).single();
    }

    void insertLine(long transferId, long productId, int quantity) {
        jdbc.sql("insert into stock_transfer_item (transfer_id, product_id, quantity) values (:t, :p, :q)")
                .param("t", transferId).param("p", productId).param("q", quantity).update();
    }

    /** The transfer, its row locked until the caller's transaction ends: one step at a time. */
    Optional<Transfer> lock(long id) {
        return jdbc.sql("select id from stock_transfer where id = :id for update").param("id", id)
                .query(Long.class).optional().flatMap(this::find);
    }

    Optional<Transfer> find(long id) {
        List<Transfer> found = query(SELECT + " where t.id = :id", Map.of("id", id));
        return found.stream().findFirst();
    }

    /** Transfers from or to {@code branch} (every branch: null), newest first, optionally in one status. */
    List<Transfer> list(Long branch, TransferStatus status, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" where true");
        Map<String, Object> params = new LinkedHashMap<>();
        if (branch != null) {
            sql.append(" and (t.from_branch_id = :branch or t.to_branch_id = :branch)");
            params.put("branch", branch);
        }
        if (status != null) {
            sql.append(" and t.status = :status");
            params.put("status", status.name());
        }
        sql.append(" order by t.id desc limit :limit");
        params.put("limit", limit);
        return query(sql.toString(), params);
    }

    /** A branch that could spare some of a product: how many it has above {@code keep}. */
    record Spare(long branchId, String branchName, int quantity, int spare) {}

    /** The other branch with the most of {@code product} above {@code keep} units, if any has more. */
    Optional<Spare> mostSpare(long product, long exceptBranch, int keep) {
        return jdbc.sql("""
                        select s.branch_id, b.name, s.quantity from stock s join branch b on b.id = s.branch_id
                        where s.product_id = :product and s.branch_id <> :branch and s.quantity > :keep
                        order by s.quantity desc, s.branch_id limit 1""")
                .param("product", product).param("branch", exceptBranch).param("keep", keep)
                .query((rs, n) -> new Spare(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(3) - keep))
                .optional();
    }

    /** A product on its way to a branch: sent to it, not received yet. */
    record InTransit(long productId, int quantity) {}

    List<InTransit> inTransitTo(long branch) {
        return jdbc.sql("""
                        select i.product_id, sum(i.quantity) from stock_transfer t
                        join stock_transfer_item i on i.transfer_id = t.id
                        where t.to_branch_id = :branch and t.status = 'SENT'
                        group by i.product_id order by i.product_id""")
                .param("branch", branch).query((rs, n) -> new InTransit(rs.getLong(1), rs.getInt(2))).list();
    }

    void sent(long id, long userId, Instant at) {
        step(id, "SENT", "sent_by", "sent_at", userId, at);
    }

    void received(long id, long userId, Instant at, Map<Long, Integer> received) {
        received.forEach((product, quantity) -> jdbc.sql(
                        "update stock_transfer_item set received = :r where transfer_id = :t and product_id = :p")
                .param("r", quantity).param("t", id).param("p", product).update());
        step(id, "RECEIVED", "received_by", "received_at", userId, at);
    }

    void cancelled(long id, long userId, Instant at) {
        step(id, "CANCELLED", "cancelled_by", "cancelled_at", userId, at);
    }

    private void step(long id, String status, String byColumn, String atColumn, long userId, Instant at) {
        jdbc.sql("update stock_transfer set status = :status, " + byColumn + " = :user, " + atColumn + " = :at"
                        + " where id = :id")
                .param("status", status).param("user", userId).param("at", Timestamp.from(at)).param("id", id)
                .update();
    }

    private List<Transfer> query(String sql, Map<String, Object> params) {
        var spec = jdbc.sql(sql);
        for (var p : params.entrySet()) {
            spec = spec.param(p.getKey(), p.getValue());
        }
        List<Transfer> heads = spec.query((rs, n) -> head(rs)).list();
        if (heads.isEmpty()) {
            return heads;
        }
        Map<Long, List<Line>> lines = new LinkedHashMap<>();
        jdbc.sql("""
                        select i.transfer_id, i.product_id, p.kode, p.name, i.quantity, i.received
                        from stock_transfer_item i join product p on p.id = i.product_id
                        where i.transfer_id in (:ids) order by i.transfer_id, i.product_id""")
                .param("ids", heads.stream().map(Transfer::id).toList())
                .query(rs -> {
                    lines.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Line(rs.getLong(2),
                            rs.getString(3), rs.getString(4), rs.getInt(5), (Integer) rs.getObject(6)));
                });
        return heads.stream().map(t -> new Transfer(t.id(), t.transferNo(), t.fromBranchId(), t.fromBranchName(),
                t.toBranchId(), t.toBranchName(), t.status(), t.note(), t.requestedBy(), t.requestedAt(), t.sentAt(),
                t.receivedAt(), t.cancelledAt(), List.copyOf(lines.getOrDefault(t.id(), List.of())))).toList();
    }

    private static Transfer head(ResultSet rs) throws SQLException {
        return new Transfer(rs.getLong("id"), rs.getString("transfer_no"), rs.getLong("from_branch_id"),
                rs.getString("from_name"), rs.getLong("to_branch_id"), rs.getString("to_name"),
                TransferStatus.valueOf(rs.getString("status")), rs.getString("note"), rs.getString("requested_by"),
                instant(rs, "requested_at"), instant(rs, "sent_at"), instant(rs, "received_at"),
                instant(rs, "cancelled_at"), List.of());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
