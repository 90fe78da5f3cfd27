package io.controlcenter.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The array parameters of a statement that writes many rows at once ({@code FROM unnest(CAST(? AS text[]), ...)}): one
 * array per column, of its SQL type ({@code text}, {@code bool} or {@code int8}), filled a row at a time.
 */
final class Unnest {

    private final String[] types;
    private final Object[][] columns;
    private int rows;

    /** Columns for {@code size} rows, of {@code types} in the statement's order. */
    Unnest(int size, String... types) {
        this.types = types;
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
    void add(Object... values) {
        for (int col = 0; col < values.length; col++) {
            columns[col][rows] = values[col];
        }
        rows++;
    }

    /** Binds the columns as the statement's first parameters, in order. */
    void bind(Connection c, PreparedStatement ps) throws SQLException {
        for (int col = 0; col < columns.length; col++) {
            ps.setArray(col + 1, c.createArrayOf(types[col], columns[col]));
        }
    }
}
