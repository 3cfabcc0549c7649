package io.funnelflow.aggregator.query;

import io.funnelflow.contract.funnel.FunnelDefinition;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Named funnels: the default one from the contract, the others from the funnels table. */
public final class FunnelStore {

    private final DataSource dataSource;

    public FunnelStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<FunnelDefinition> find(String name) throws SQLException {
        if (FunnelDefinition.DEFAULT_NAME.equals(name)) {
            return Optional.of(FunnelDefinition.DEFAULT);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, steps FROM funnels WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public List<FunnelDefinition> all() throws SQLException {
        List<FunnelDefinition> out = new ArrayList<>();
        out.add(FunnelDefinition.DEFAULT);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, steps FROM funnels ORDER BY name LIMIT 1000");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    /** Saves a funnel; true when it is new, false when it replaced one of the same name. */
    public boolean save(FunnelDefinition funnel) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO funnels (name, steps) VALUES (?, ?)
                     ON CONFLICT (name) DO UPDATE SET steps = EXCLUDED.steps
                     RETURNING (xmax = 0) AS inserted""")) {
            ps.setString(1, funnel.name());
            ps.setArray(2, c.createArrayOf("text", funnel.steps().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static FunnelDefinition read(ResultSet rs) throws SQLException {
        return new FunnelDefinition(rs.getString(1), Arrays.asList((String[]) rs.getArray(2).getArray()));
    }
}
