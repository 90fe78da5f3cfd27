package io.controlcenter.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The array parameters of a statement that writes many rows at once ({@code FROM unnest(CAST(? AS text[]), ...)}): one
 * array per column, of its SQL type ({@code text}, {@code bool} or {@code int8}), filled a row at a time.
 */
public final class Unnest {

    private final Object[][] columns;
    private int rows;

    /** Columns for {@code size} rows, of {@code types} in the statement's order. */
    public Unnest(int size, String... types) {
        this.columns = new Object[types.length][];
        for (int col = 0; col < types.length; col++) {
            columns[col] = switch (types[col]) {
                case "text" -> new String[size];
                case "bool" -> new Boolean[size];
                default -> new Long[size];
            };
        }
    }

    /** Adds a row: a value per column, in order (String, Boolean or Long as the column's type, or null). */
    public void add(Object... values) {
        for (int col = 0; col < values.length; col++) {
            columns[col][rows] = values[col];
        }
        rows++;
    }

    /**
     * Binds the columns as the statement's first parameters, in order, as Java arrays: pgjdbc sends those in
     * PostgreSQL's binary array format (each element's length, then its bytes), where {@code createArrayOf} wrote an
     * array literal, quoting and escaping every character of every JSON text, which the server then parsed back
     * (BENCHMARKS.md, Sixth look). Text columns are encoded here ({@link TextArray}), into one buffer of their exact
     * size.
     */
    public void bind(PreparedStatement ps) throws SQLException {
        for (int col = 0; col < columns.length; col++) {
            ps.setObject(col + 1, columns[col] instanceof String[] texts ? new TextArray(texts) : columns[col]);
        }
    }

    /** Runs {@code sql}, a statement without results, on {@code c} with the columns bound ({@link #bind}). */
    public void update(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps);
            ps.executeUpdate();
        }
    }
}
