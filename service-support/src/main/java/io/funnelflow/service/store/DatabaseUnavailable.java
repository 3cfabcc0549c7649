package io.funnelflow.service.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * Whether a query failed because the database cannot answer it now — an outage, a pool without a free
 * connection, a statement that ran past its timeout, a restart, exhausted resources, a lock conflict —
 * as opposed to a fault in the query. The first is answered 503 with {@code Retry-After} and the reason;
 * the second is a genuine error.
 */
public final class DatabaseUnavailable extends RuntimeException {

    /** Seconds a client should wait before asking again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseUnavailable(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** The reason, if the failure is the database's state rather than the query's fault. */
    public static Optional<String> reason(Throwable failure) {
        for (Throwable t : WriteFailure.chain(failure)) {
            if (t instanceof SQLTransientConnectionException) {
                return Optional.of("no database connection became free in time: the database is away or overloaded");
            }
            if (t instanceof SQLNonTransientConnectionException) {
                return Optional.of("the database cannot be reached");
            }
            if (t instanceof SQLException e && e.getSQLState() != null) {
                String state = e.getSQLState();
                if (state.equals("57014")) {
                    return Optional.of("the query ran longer than its statement timeout; ask for a shorter range");
                }
                if (state.startsWith("08")) {
                    return Optional.of("the database cannot be reached");
                }
                if (state.startsWith("57P")) {
                    return Optional.of("the database is shutting down or restarting");
                }
                if (state.startsWith("53")) {
                    return Optional.of("the database is out of resources");
                }
                if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
                    return Optional.of("the query met a conflicting transaction");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * What to throw for a failed query: this exception (answered 503) when the database is unavailable,
     * else an {@link IllegalStateException} saying what could not be done.
     */
    public static RuntimeException of(String what, SQLException failure) {
        return reason(failure).<RuntimeException>map(r -> new DatabaseUnavailable(r, failure))
                .orElseGet(() -> new IllegalStateException(what, failure));
    }
}
