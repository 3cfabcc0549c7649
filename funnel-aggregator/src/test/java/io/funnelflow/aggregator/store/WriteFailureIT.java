package io.funnelflow.aggregator.store;

import io.funnelflow.launcher.Ports;
import io.funnelflow.service.store.Bisection;
import io.funnelflow.service.store.WriteFailure;
import io.funnelflow.testing.SharedPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

import static io.funnelflow.service.store.WriteFailure.Kind.REFUSED;
import static io.funnelflow.service.store.WriteFailure.Kind.RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** PostgreSQL's own errors, as pgjdbc throws them, classified: the rows written, or the database's state. */
class WriteFailureIT {

    static String url;

    @BeforeAll
    static void schema() throws Exception {
        url = SharedPostgres.newDatabase("write_failure_it");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int PRIMARY KEY, s text, j jsonb, n numeric(10, 2), at timestamptz,"
                    + " CHECK (n IS NULL OR n >= 0))");
        }
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(url, SharedPostgres.user(), SharedPostgres.password());
    }

    /** Inserts rows (id, text) in one batch and transaction, as a sink does; returns what was thrown. */
    static Throwable batch(Object[]... rows) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, s, j, n, at) VALUES (?, ?, ?::jsonb, ?, ?)")) {
                for (Object[] row : rows) {
                    for (int i = 0; i < 5; i++) {
                        ps.setObject(i + 1, i < row.length ? row[i] : null);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
                return null;
            } catch (SQLException e) {
                c.rollback();
                return e;
            }
        }
    }

    @Test
    void aValuePostgresCannotStoreIsRefusedWithItsReason() throws Exception {
        Throwable nul = batch(new Object[]{1, "ok"}, new Object[]{2, "a\u0000b"}, new Object[]{3, "ok"});
        assertThat(WriteFailure.classify(nul)).isEqualTo(REFUSED);
        assertThat(WriteFailure.reason(nul)).startsWith("PostgreSQL refused it (SQLState 22021)").contains("0x00");

        Throwable nulInJson = batch(new Object[]{4, "ok", "{\"a\": \"\\u0000\"}"});
        assertThat(WriteFailure.classify(nulInJson)).isEqualTo(REFUSED);
        assertThat(WriteFailure.sqlState(nulInJson)).startsWith("22");

        Throwable tooLarge = batch(new Object[]{5, "ok", null, new BigDecimal("1e20")});
        assertThat(WriteFailure.classify(tooLarge)).isEqualTo(REFUSED);
        assertThat(WriteFailure.sqlState(tooLarge)).isEqualTo("22003");

        Throwable farFuture = batch(new Object[]{6, "ok", null, null, Timestamp.from(Instant.parse("+300000-01-01T00:00:00Z"))});
        assertThat(WriteFailure.classify(farFuture)).isEqualTo(REFUSED);
        assertThat(WriteFailure.sqlState(farFuture)).isEqualTo("22008");

        Throwable check = batch(new Object[]{7, "ok", null, new BigDecimal("-1")});
        assertThat(WriteFailure.classify(check)).isEqualTo(REFUSED);
        assertThat(WriteFailure.reason(check)).startsWith("PostgreSQL refused it (SQLState 23514)").contains("t_n_check");
    }

    @Test
    void anUnreachableServerIsRetried() {
        Throwable refused = catchThrowable(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + Ports.free() + "/x",
                "postgres", "").close());
        assertThat(refused).isInstanceOf(SQLException.class);
        assertThat(WriteFailure.classify(refused)).isEqualTo(RETRY);
    }

    @Test
    void aCancelledStatementOrATerminatedConnectionIsRetried() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = 50");
            Throwable timeout = catchThrowable(() -> s.execute("SELECT pg_sleep(5)"));
            assertThat(WriteFailure.sqlState(timeout)).isEqualTo("57014");
            assertThat(WriteFailure.classify(timeout)).isEqualTo(RETRY);
        }
        try (Connection victim = connect(); Statement s = victim.createStatement(); Connection admin = connect();
             Statement a = admin.createStatement()) {
            s.execute("SELECT 1");
            int pid = victim.unwrap(org.postgresql.PGConnection.class).getBackendPID();
            a.execute("SELECT pg_terminate_backend(" + pid + ")");
            Throwable terminated = catchThrowable(() -> s.execute("INSERT INTO t (id, s) VALUES (100, 'x')"));
            assertThat(terminated).isInstanceOf(SQLException.class);
            assertThat(WriteFailure.classify(terminated)).isEqualTo(RETRY);
        }
    }

    @Test
    void bisectingARealBatchSetsAsideOnlyTheRowPostgresRefuses() throws Exception {
        java.util.List<Object[]> rows = new java.util.ArrayList<>();
        for (int i = 200; i < 264; i++) {
            rows.add(new Object[]{i, i == 231 ? "bad\u0000" : "row " + i});
        }
        var refused = Bisection.write(rows, part -> {
            Throwable t = batch(part.toArray(Object[][]::new));
            if (t != null) {
                throw (SQLException) t;
            }
        });
        assertThat(refused).singleElement().satisfies(r -> assertThat(r.item()[0]).isEqualTo(231));
        try (Connection c = connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM t WHERE id BETWEEN 200 AND 263")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(63);
        }
    }
}
