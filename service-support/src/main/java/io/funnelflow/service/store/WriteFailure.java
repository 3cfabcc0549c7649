package io.funnelflow.service.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Why a write to PostgreSQL failed, as far as the writer's policy is concerned: because of what was
 * written ({@link Kind#REFUSED}: retrying the same rows would fail the same way, so they must be set
 * aside) or because of the database's state ({@link Kind#RETRY}: an outage, a timeout, a lock, a full
 * disk — retried, never set aside).
 *
 * <p>Classified by SQLState (PostgreSQL's Appendix A, "PostgreSQL Error Codes"), looking through the
 * whole chain of causes and of a batch's next exceptions. A sign of an outage anywhere in the chain wins,
 * so that an outage can never make a writer drop data. Refused: class 21 (cardinality violation, e.g. one
 * upsert touching a row twice), 22 (data exception: a value out of range, a character PostgreSQL cannot
 * store, a malformed number or date), 23 (integrity constraint violation), 54 (program limit exceeded,
 * e.g. a value too large to index). A failure of the writer's own code on a record (no SQL error at all,
 * e.g. a value it cannot bind) is refused too. Everything else is retried: 08 connection, 40 transaction
 * rollback (serialization failure, deadlock), 53 insufficient resources, 55 object not in prerequisite
 * state (lock not available), 57 operator intervention (statement timeout, shutdown), 58 system error,
 * XX internal error, 42 and others (a schema or privilege problem is the installation's, not a row's),
 * and an SQL error with no state.
 */
public final class WriteFailure {

    /** What to do about a failed write. */
    public enum Kind {
        /** The rows written are refused: set the refused ones aside with the reason. */
        REFUSED,
        /** The database cannot take writes now: retry later, without loss. */
        RETRY
    }

    private static final Set<String> REFUSED_CLASSES = Set.of("21", "22", "23", "54");
    private static final int MAX_REASON = 1000;

    private WriteFailure() {
    }

    public static Kind classify(Throwable failure) {
        List<Throwable> chain = chain(failure);
        boolean sql = false;
        boolean refused = false;
        for (Throwable t : chain) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException) {
                return Kind.RETRY;
            }
            if (t instanceof SQLException e) {
                sql = true;
                String state = e.getSQLState();
                if (state != null && state.length() == 5) {
                    if (REFUSED_CLASSES.contains(state.substring(0, 2))) {
                        refused = true;
                    } else if (!state.startsWith("00") && !state.startsWith("01") && !state.startsWith("02")
                            && !state.startsWith("25")) {
                        // 00/01/02 are not errors; 25 (in failed transaction) follows the error that matters
                        return Kind.RETRY;
                    }
                }
            }
        }
        return refused || !sql ? Kind.REFUSED : Kind.RETRY;
    }

    /**
     * The reason to keep beside a refused record: PostgreSQL's SQLState and message when it refused it
     * (the most specific error of the chain), else the failure itself; at most 1,000 characters.
     */
    public static String reason(Throwable failure) {
        SQLException refusal = null;
        for (Throwable t : chain(failure)) {
            if (t instanceof SQLException e && e.getSQLState() != null && e.getSQLState().length() == 5
                    && REFUSED_CLASSES.contains(e.getSQLState().substring(0, 2))) {
                refusal = e;
            }
        }
        String reason = refusal != null
                ? "PostgreSQL refused it (SQLState " + refusal.getSQLState() + "): " + message(refusal)
                : failure.getClass().getSimpleName() + ": " + message(failure);
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
    }

    /** The SQLState of the refusal, if PostgreSQL gave one. */
    public static String sqlState(Throwable failure) {
        String state = null;
        for (Throwable t : chain(failure)) {
            if (t instanceof SQLException e && e.getSQLState() != null) {
                state = e.getSQLState();
            }
        }
        return state;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null ? "(no message)" : m.strip();
    }

    /** The failure, its causes and every SQL exception chained to them, each once, at most 50. */
    static List<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> out = new ArrayList<>();
        List<Throwable> todo = new ArrayList<>(List.of(failure));
        while (!todo.isEmpty() && out.size() < 50) {
            Throwable t = todo.remove(0);
            if (t == null || !seen.add(t)) {
                continue;
            }
            out.add(t);
            todo.add(t.getCause());
            if (t instanceof SQLException e) {
                todo.add(e.getNextException());
            }
        }
        return out;
    }
}
