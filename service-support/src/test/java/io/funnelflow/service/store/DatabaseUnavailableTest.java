package io.funnelflow.service.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseUnavailableTest {

    @Test
    void anOutageATimeoutOrARestartIsTheDatabasesState() {
        assertThat(DatabaseUnavailable.reason(new SQLTransientConnectionException("HikariPool-2 - Connection is not available,"
                + " request timed out after 3000ms."))).hasValueSatisfying(r -> assertThat(r).contains("no database connection"));
        assertThat(DatabaseUnavailable.reason(new SQLException("Connection to 127.0.0.1:5433 refused", "08001")))
                .hasValue("the database cannot be reached");
        assertThat(DatabaseUnavailable.reason(new IllegalStateException("could not query predictions",
                new SQLException("ERROR: canceling statement due to statement timeout", "57014"))))
                .hasValueSatisfying(r -> assertThat(r).contains("statement timeout"));
        assertThat(DatabaseUnavailable.reason(new SQLException("FATAL: terminating connection due to administrator command", "57P01")))
                .isPresent();
        assertThat(DatabaseUnavailable.reason(new SQLException("ERROR: out of memory", "53200"))).isPresent();
    }

    @Test
    void aFaultInTheQueryIsNot() {
        assertThat(DatabaseUnavailable.reason(new SQLException("ERROR: column \"x\" does not exist", "42703"))).isEmpty();
        assertThat(DatabaseUnavailable.reason(new SQLException("ERROR: division by zero", "22012"))).isEmpty();
        assertThat(DatabaseUnavailable.reason(new IllegalArgumentException("bad"))).isEmpty();
        assertThat(DatabaseUnavailable.of("could not query", new SQLException("ERROR", "42703")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(DatabaseUnavailable.of("could not query", new SQLException("refused", "08001")))
                .isInstanceOf(DatabaseUnavailable.class).hasMessage("the database cannot be reached");
    }
}
