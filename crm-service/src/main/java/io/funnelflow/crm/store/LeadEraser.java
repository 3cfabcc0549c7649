package io.funnelflow.crm.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Deletes a lead's rows from every CRM table, in one transaction. */
public final class LeadEraser {

    private final DataSource dataSource;

    public LeadEraser(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return rows deleted per table */
    public Map<String, Integer> erase(String leadId) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Map<String, Integer> deleted = CrmWriter.erase(c, List.of(leadId));
            c.commit();
            return deleted;
        } catch (SQLException e) {
            throw Database.unavailable(e);
        }
    }
}
