package io.funnelflow.service.store;

import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static io.funnelflow.service.store.WriteFailure.Kind.REFUSED;
import static io.funnelflow.service.store.WriteFailure.Kind.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

/** The SQLState classes that set a record aside, and those that never may. See WriteFailureIT for PostgreSQL's own errors. */
class WriteFailureTest {

    static SQLException state(String sqlState) {
        return new SQLException("ERROR: something (" + sqlState + ")", sqlState);
    }

    @Test
    void whatWasWrittenIsRefusedWhenPostgresObjectsToTheData() {
        for (String state : new String[]{"22021", "22P05", "22008", "22003", "22001", "22P02", "23514", "23502", "23505",
                "54000", "21000"}) {
            assertThat(WriteFailure.classify(state(state))).as(state).isEqualTo(REFUSED);
        }
    }

    @Test
    void theDatabaseStateIsRetried() {
        for (String state : new String[]{"08001", "08006", "08003", "53100", "53200", "53300", "57014", "57P01", "57P03",
                "40001", "40P01", "55P03", "58030", "XX000", "42P01", "42501", "0A000"}) {
            assertThat(WriteFailure.classify(state(state))).as(state).isEqualTo(RETRY);
        }
    }

    @Test
    void aPoolThatTimesOutOrAnErrorWithoutStateIsRetried() {
        // what HikariCP throws when no connection comes within connectionTimeout (no state while the server is away)
        assertThat(WriteFailure.classify(new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 30000ms.", null, null))).isEqualTo(RETRY);
        assertThat(WriteFailure.classify(new SQLException("HikariDataSource HikariDataSource (HikariPool-1) has been closed.")))
                .isEqualTo(RETRY);
    }

    @Test
    void aSignOfAnOutageAnywhereInTheChainWinsOverARefusal() {
        SQLException refused = state("23514");
        refused.setNextException(state("08006"));
        assertThat(WriteFailure.classify(new IllegalStateException("could not write", refused))).isEqualTo(RETRY);
    }

    @Test
    void aBatchIsJudgedByTheErrorsChainedToIt() {
        // pgjdbc: the batch's own exception, the server's error as its next exception, then "current transaction is aborted"
        BatchUpdateException batch = new BatchUpdateException("Batch entry 3 INSERT INTO sessions ... was aborted", "23514", 0,
                new int[0], null);
        batch.setNextException(state("23514"));
        assertThat(WriteFailure.classify(batch)).isEqualTo(REFUSED);
        SQLException aborted = state("25P02");
        aborted.setNextException(state("22P05"));
        assertThat(WriteFailure.classify(aborted)).isEqualTo(REFUSED);
        assertThat(WriteFailure.classify(state("25P02"))).isEqualTo(RETRY);
    }

    @Test
    void aRecordTheWriterItselfCannotBindIsRefused() {
        assertThat(WriteFailure.classify(new IllegalArgumentException("year out of range"))).isEqualTo(REFUSED);
        assertThat(WriteFailure.classify(new NullPointerException())).isEqualTo(REFUSED);
    }

    @Test
    void theReasonIsPostgresStateAndMessageBounded() {
        SQLException refused = new SQLException("ERROR: new row for relation \"sessions\" violates check constraint \"c\"", "23514");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "23514", 0, new int[0], null);
        batch.setNextException(refused);
        assertThat(WriteFailure.reason(batch))
                .isEqualTo("PostgreSQL refused it (SQLState 23514): ERROR: new row for relation \"sessions\" violates check constraint \"c\"");
        assertThat(WriteFailure.sqlState(batch)).isEqualTo("23514");
        assertThat(WriteFailure.reason(new SQLException("ERROR: " + "x".repeat(5000), "22021"))).hasSize(1000).endsWith("…");
        assertThat(WriteFailure.reason(new IllegalArgumentException("year out of range")))
                .isEqualTo("IllegalArgumentException: year out of range");
    }

    @Test
    void aChainThatLoopsEnds() {
        SQLException a = state("22021");
        SQLException b = state("22021");
        a.setNextException(b);
        b.initCause(a);
        assertThat(WriteFailure.classify(a)).isEqualTo(REFUSED);
    }
}
