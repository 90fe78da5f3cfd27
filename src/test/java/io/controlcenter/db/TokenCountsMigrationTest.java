package io.controlcenter.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.controlcenter.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An upgrade: a database whose sessions were stored before V12 gets each row's token counts from its JSON, as the view
 * agent_usage read them before (V11), so the sums do not change across the upgrade.
 */
class TokenCountsMigrationTest {

    private final String database = TestDatabase.create();

    @AfterEach
    void drop() {
        TestDatabase.drop(database);
    }

    @Test
    void theRowsStoredBeforeGetTheCountsTheirJsonHolds() throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestDatabase.url(database));
        ds.setUser(TestDatabase.USER);
        ds.setPassword(TestDatabase.PASSWORD);
        Flyway.configure().dataSource(ds).locations(Migrations.LOCATION).target("11").load().migrate();
        String[] data = {
            "{\"inputTokens\": 7, \"outputTokens\": \"12\", \"totalTokens\": 1.5}",
            "{\"inputTokens\": \"many\", \"outputTokens\": 5, \"totalTokens\": \"0123456789012345678901234567890\"}",
            "{\"inputTokens\": {\"n\": 1}, \"totalTokens\": \"123456789012345678901234567890\"}",
            "{\"inputTokens\": -3, \"outputTokens\": null, \"totalTokens\": 40}",
            "[1, 2]",
            "{}"};
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO sessions (gateway, session_key, agent_id, version, data) "
                     + "VALUES ('gw', ?, ?, 1, CAST(? AS json))")) {
            for (int i = 0; i < data.length; i++) {
                ps.setString(1, "s" + i);
                ps.setString(2, i % 2 == 0 ? "main" : "ops");
                ps.setString(3, data[i]);
                ps.executeUpdate();
            }
        }
        List<List<Object>> before = rows(ds, "SELECT gateway, agent_id, input_tokens, output_tokens, total_tokens, sessions "
                + "FROM agent_usage ORDER BY agent_id");

        Flyway.configure().dataSource(ds).locations(Migrations.LOCATION).load().migrate();

        assertEquals(before, rows(ds, "SELECT gateway, agent_id, input_tokens, output_tokens, total_tokens, sessions "
                + "FROM agent_usage ORDER BY agent_id"), "the sums across the upgrade");
        assertEquals(List.of(
                        Arrays.asList("s0", new BigDecimal("7"), new BigDecimal("12"), null),
                        Arrays.asList("s1", null, new BigDecimal("5"), null),
                        Arrays.asList("s2", null, null, new BigDecimal("123456789012345678901234567890")),
                        Arrays.asList("s3", null, null, new BigDecimal("40")),
                        Arrays.asList("s4", null, null, null),
                        Arrays.asList("s5", null, null, null)),
                rows(ds, "SELECT session_key, input_tokens, output_tokens, total_tokens FROM sessions ORDER BY session_key"));
    }

    private static List<List<Object>> rows(PGSimpleDataSource ds, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
