package io.controlcenter.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;

/**
 * The text[] parameters the batches bind ({@link TextArray}) reach PostgreSQL as exactly the texts they hold, as
 * pgjdbc's own encoding of the same String[] does: on a connection that sends them in binary (the default) and on one
 * that sends literals ({@code binaryTransfer=false}).
 */
class TextArrayTest {

    private final String database = TestDatabase.create();

    @AfterEach
    void drop() {
        TestDatabase.drop(database);
    }

    @Test
    void theServerReadsEveryElementAsItWasAndAsPgjdbcWouldSendIt() throws SQLException {
        List<String[]> arrays = arrays();
        try (Connection binary = connect(""); Connection literal = connect("?binaryTransfer=false")) {
            assertTrue(binary.unwrap(BaseConnection.class).binaryTransferSend(1009),
                    "the default connection sends text[] in binary, so toBytes is what the server reads");
            assertTrue(!literal.unwrap(BaseConnection.class).binaryTransferSend(1009),
                    "binaryTransfer=false sends the literal");
            for (Connection c : List.of(binary, literal)) {
                for (String[] values : arrays) {
                    String what = values.length + " elements on " + (c == binary ? "binary" : "literal");
                    assertEquals(Arrays.asList(values), read(c, values), what);
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT CAST(? AS text[]) IS NOT DISTINCT FROM CAST(? AS text[]), cardinality(CAST(? AS text[]))")) {
                        ps.setObject(1, new TextArray(values));
                        ps.setObject(2, values); // pgjdbc's own encoding, the reference
                        ps.setObject(3, new TextArray(values));
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertTrue(rs.getBoolean(1), "the same array as pgjdbc's encoding: " + what);
                            assertEquals(values.length, rs.getInt(2), what);
                        }
                    }
                }
            }
        }
    }

    /** The elements as the server unnests them, in order. */
    private static List<String> read(Connection c, String[] values) throws SQLException {
        List<String> read = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT t FROM unnest(CAST(? AS text[])) WITH ORDINALITY AS u(t, n) ORDER BY n")) {
            ps.setObject(1, new TextArray(values));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    read.add(rs.getString(1));
                }
            }
        }
        return read;
    }

    private static List<String[]> arrays() {
        List<String[]> arrays = new ArrayList<>();
        arrays.add(new String[0]);
        arrays.add(new String[] {""});
        arrays.add(new String[] {null});
        arrays.add(new String[] {"a", null, "", "NULL", "null"});
        arrays.add(new String[] {"{\"key\": \"agent:main:main\", \"label\": \"say \\\"hi\\\"\"}", "back\\slash", "a,b",
            "{}", "{1,2}", " spaced ", "tab\there", "line\nbreak"});
        arrays.add(new String[] {"é ü ß", "日本語", "emoji 😀 and 🧪", "\u0000".replace('\u0000', '\u0001')});
        SplittableRandom random = new SplittableRandom(18);
        String[] large = new String[2_000];
        for (int i = 0; i < large.length; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(0, 5_000);
            for (int k = 0; k < n; k++) {
                // mostly ASCII, as the gateway's JSON is, with some of every UTF-8 length
                int r = random.nextInt(100);
                s.appendCodePoint(r < 90 ? random.nextInt(0x20, 0x7f) : r < 95 ? random.nextInt(0xa0, 0x800)
                        : r < 98 ? random.nextInt(0x800, 0xd800) : random.nextInt(0x10000, 0x10ffff));
            }
            large[i] = i % 97 == 0 ? null : s.toString();
        }
        arrays.add(large); // about 5 MB: the size of a batch's payloads under load
        return arrays;
    }

    private Connection connect(String parameters) throws SQLException {
        return DriverManager.getConnection(TestDatabase.url(database) + parameters, TestDatabase.USER,
                TestDatabase.PASSWORD);
    }
}
