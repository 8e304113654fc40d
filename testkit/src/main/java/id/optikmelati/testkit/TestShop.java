package id.optikmelati.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** The shop's database (this JVM's, from {@link SharedServers}) as tests read and write it directly. */
public final class TestShop {

    private TestShop() {}

    public record Product(long id, String kode, String name) {}

    /** A new frame with {@code stock} units in {@code branch} (of the demo's 1-3) and none in the others. */
    public static Product product(long branch, int stock, String name) {
        String kode = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
        long id = queryLong("insert into product (kode, name, type, price) values (?, ?, 'FRAME', 250000) returning id",
                kode, name);
        for (long b = 1; b <= 3; b++) {
            update("insert into stock (product_id, branch_id, quantity) values (?, ?, ?)", id, b, b == branch ? stock : 0);
        }
        return new Product(id, kode, name);
    }

    public static long branchSeq(long branch) {
        return queryLong("select event_seq from branch where id = ?", branch);
    }

    public static long queryLong(String sql, Object... args) {
        try (Connection c = db(); PreparedStatement s = statement(c, sql, args); ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("no row: " + sql);
            }
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void update(String sql, Object... args) {
        try (Connection c = db(); PreparedStatement s = statement(c, sql, args)) {
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement statement(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }

    private static Connection db() throws SQLException {
        return DriverManager.getConnection(SharedServers.postgresJdbcUrl(), SharedServers.postgresUser(),
                SharedServers.postgresPassword());
    }
}
