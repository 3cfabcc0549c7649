package io.funnelflow.aggregator.store;

import io.funnelflow.testing.SharedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database written by the version before the stream kept its figures per bucket: the migration keeps
 * every session's ordered events, turns the old minute windows and late events into event buckets and
 * the sessions into session buckets, keeps saved funnels as versions whose history is still to count,
 * and marks the old sessions final so that every funnel counts them from PostgreSQL.
 */
class UpgradeMigrationIT {

    @Test
    void whatTheEarlierVersionStoredIsKept() throws Exception {
        String url = SharedPostgres.newDatabase("upgrade_it");
        Flyway.configure().dataSource(url, SharedPostgres.user(), SharedPostgres.password())
                .locations("classpath:db/migration").target("2").load().migrate();
        try (Connection c = DriverManager.getConnection(url, SharedPostgres.user(), SharedPostgres.password());
             Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO sessions (session_id, session_key, visitor_id, user_ids, started_at, ended_at, duration_seconds,
                        events, page_views, product_views, cart_adds, cart_removes, checkouts, purchases, cart_value, revenue,
                        furthest_step, utm_source, device, event_types, event_times, closed)
                    VALUES ('s1', 's1', 'v1', '{}', '2026-11-20T10:05:00Z', '2026-11-20T10:09:00Z', 240, 3, 1, 1, 1, 0, 0, 1, 0, 40,
                            3, 'google', 'mobile', '{page_view,add_to_cart,purchase}', '{1795000000000,1795000060000,1795000240000}', true),
                           ('s2', 's2', 'v2', '{}', '2026-11-20T11:30:00Z', '2026-11-20T11:30:00Z', 0, 1, 1, 0, 0, 0, 0, 0, 0, 0,
                            1, NULL, 'desktop', '{page_view}', '{1795005000000}', true)""");
            s.execute("INSERT INTO minute_counts VALUES ('2026-11-20T10:05:00Z', 'page_view', 'google', '', '', 'mobile', '', 2, 0),"
                    + " ('2026-11-20T10:09:00Z', 'purchase', 'google', '', '', 'mobile', '', 1, 40)");
            s.execute("INSERT INTO late_events VALUES ('late-1', '2026-11-20T10:20:00Z', 'page_view', '', '', '', '', '', 0, now())");
            s.execute("INSERT INTO funnels (name, steps) VALUES ('cart-to-buy', '{add_to_cart,purchase}')");
        }

        Flyway.configure().dataSource(url, SharedPostgres.user(), SharedPostgres.password())
                .locations("classpath:db/migration").load().migrate();

        try (Connection c = DriverManager.getConnection(url, SharedPostgres.user(), SharedPostgres.password());
             Statement s = c.createStatement()) {
            assertThat(one(s, "SELECT count(*) FROM session_timelines")).isEqualTo(2);
            assertThat(text(s, "SELECT event_types::text FROM session_timelines WHERE session_id = 's1'"))
                    .isEqualTo("{page_view,add_to_cart,purchase}");
            assertThat(one(s, "SELECT count(*) FROM sessions WHERE final AND funnel_generation = -1")).isEqualTo(2);
            assertThat(one(s, "SELECT sum(events) FROM event_buckets WHERE granularity = 'h' AND event_type = 'page_view'")).isEqualTo(3);
            assertThat(one(s, "SELECT sum(events) FROM event_buckets WHERE granularity = 'd'")).isEqualTo(4);
            assertThat(one(s, "SELECT sum(sessions) FROM session_buckets WHERE granularity = 'd' AND dimension = 0")).isEqualTo(2);
            assertThat(one(s, "SELECT sum(converted) FROM session_buckets WHERE granularity = 'h' AND dimension = 1 AND value = 'google'"))
                    .isEqualTo(1);
            assertThat(one(s, "SELECT sum(sessions) FROM session_buckets WHERE granularity = 'h' AND dimension = 1 AND value = '(none)'"))
                    .isEqualTo(1);
            try (ResultSet rs = s.executeQuery("SELECT id, name, history_status FROM funnel_versions ORDER BY id")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
                assertThat(rs.getString(3)).as("the default funnel's history is counted from the kept sessions").isEqualTo("counting");
                rs.next();
                assertThat(rs.getString(2)).isEqualTo("cart-to-buy");
                assertThat(rs.getString(3)).isEqualTo("counting");
            }
        }
    }

    private static long one(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
