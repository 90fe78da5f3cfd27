package io.controlcenter.db;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

import org.postgresql.util.PGBinaryObject;
import org.postgresql.util.PGobject;

/**
 * A {@code text[]} parameter in PostgreSQL's binary array format, written once into the buffer pgjdbc sends, which is
 * allocated at its exact size. pgjdbc's own encoding of a {@code String[]} grows a {@code ByteArrayOutputStream} by
 * doubling and then copies it out: for a batch's JSON texts (megabytes) that is five or six arrays larger than half a
 * G1 region, and each such (humongous) allocation in the 256 MB heap can start a concurrent collection cycle
 * (BENCHMARKS.md, Ninth look). Here each element is encoded once, and pgjdbc's buffer is the only large array.
 * <p>
 * When the connection does not send {@code text[]} in binary ({@code binaryTransfer=false} in the JDBC URL), pgjdbc
 * sends {@link #getValue()}, the same array as a literal.
 */
public final class TextArray extends PGobject implements PGBinaryObject {

    private static final long serialVersionUID = 1L;
    private static final int TEXT_OID = 25;

    /** Each element in UTF-8, or null. */
    private final byte[][] elements;
    private final int length;
    private final boolean nulls;

    public TextArray(String[] values) {
        setType("text[]");
        elements = new byte[values.length][];
        // header: dimensions, flags, element type, then per dimension its length and lower bound (none when empty)
        int size = values.length == 0 ? 12 : 20;
        boolean anyNull = false;
        for (int i = 0; i < values.length; i++) {
            anyNull |= values[i] == null;
            if (values[i] != null) {
                elements[i] = values[i].getBytes(StandardCharsets.UTF_8);
                size += elements[i].length;
            }
            size += 4;
        }
        length = size;
        nulls = anyNull;
    }

    @Override
    public int lengthInBytes() {
        return length;
    }

    @Override
    public void toBytes(byte[] bytes, int offset) {
        ByteBuffer out = ByteBuffer.wrap(bytes, offset, length); // big-endian, as PostgreSQL reads it
        out.putInt(elements.length == 0 ? 0 : 1).putInt(nulls ? 1 : 0).putInt(TEXT_OID);
        if (elements.length > 0) {
            out.putInt(elements.length).putInt(1);
        }
        for (byte[] e : elements) {
            if (e == null) {
                out.putInt(-1);
            } else {
                out.putInt(e.length).put(e);
            }
        }
    }

    @Override
    public void setByteValue(byte[] value, int offset) throws SQLException {
        throw new SQLException("TextArray is a parameter only; it is never read from a result");
    }

    /** The array as a literal: each element double-quoted, with {@code "} and {@code \} escaped; NULL for null. */
    @Override
    public String getValue() {
        StringBuilder literal = new StringBuilder(length + elements.length * 3).append('{');
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            if (elements[i] == null) {
                literal.append("NULL");
                continue;
            }
            literal.append('"');
            String s = new String(elements[i], StandardCharsets.UTF_8);
            for (int k = 0; k < s.length(); k++) {
                char ch = s.charAt(k);
                if (ch == '"' || ch == '\\') {
                    literal.append('\\');
                }
                literal.append(ch);
            }
            literal.append('"');
        }
        return literal.append('}').toString();
    }
}
