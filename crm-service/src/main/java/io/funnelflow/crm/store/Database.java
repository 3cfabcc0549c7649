package io.funnelflow.crm.store;

import io.funnelflow.service.problem.ProblemException;
import io.funnelflow.service.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;

/** What a failed PostgreSQL call means to a client: the database is away (503 with Retry-After); the cause is logged. */
final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private Database() {
    }

    static ProblemException unavailable(SQLException e) {
        LOG.warn("PostgreSQL call failed: {}", e.toString());
        return Problems.unavailable("database unavailable", 5).reason("PostgreSQL did not answer the query; retry later").exception();
    }
}
