package io.controlcenter.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.controlcenter.gateway.Json;

/**
 * A sessions.list page read from its JSON text as the gateway sent it: each row's columns and its text cut out of the
 * page, not parsed into maps and written again. A sync reads 50,000 rows of ~2.5 KB; as maps they took most of its
 * time in Control Center and most of its garbage (BENCHMARKS.md).
 * <p>
 * The text was checked as JSON when its frame was read ({@code Frame.parse}), so this only scans it: where each row
 * begins and ends, and the few fields the store needs, at a few times the speed of a JSON parser, which would
 * tokenize every name and value of every row a second time. Text that is not shaped like a page is still an error.
 * The page is read where it lies in its frame (not copied out), names are compared in place, and skipped strings are
 * passed with {@link String#indexOf}: nothing is allocated but the rows and the nine fields read of each.
 *
 * @param rows       the rows, each with the page's {@code ts}
 * @param hasMore    whether more pages follow
 * @param nextOffset where the next page starts (null when not given)
 */
record ListedPage(List<FleetSnapshot.Listed> rows, boolean hasMore, Long nextOffset) {

    /** Reads the page; text not shaped like a JSON object is an {@link UncheckedIOException}. */
    static ListedPage read(String text) {
        return read(text, 0, text.length());
    }

    /** Reads the page that lies from {@code start} to {@code end} of {@code text} (a frame's payload, not copied out). */
    static ListedPage read(String text, int start, int end) {
        try {
            return new Reader(text, start, end).page();
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("sessions.list payload: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** A row's columns as read, before the page's {@code ts} is known (it may come after the rows). */
    private static final class Row {
        String key;
        String agentId;
        String sessionId;
        String status;
        boolean hasActiveRun;
        Long updatedAt;
        String inputTokens;
        String outputTokens;
        String totalTokens;
        String json;
    }

    /** The members of a page and of a row that are read; the others are skipped. */
    private static final String[] PAGE_FIELDS = {"sessions", "ts", "hasMore", "nextOffset"};
    private static final String[] ROW_FIELDS = {"key", "agentId", "sessionId", "status", "hasActiveRun", "updatedAt",
        "inputTokens", "outputTokens", "totalTokens"};

    /** A cursor over the text. */
    private static final class Reader {
        private final String text;
        private final int limit;
        private int pos;
        /** The next backslash at or after {@code pos} as last looked up (MAX_VALUE: none). */
        private int backslash = -1;

        Reader(String text, int start, int end) {
            this.text = text;
            this.pos = start;
            this.limit = end;
        }

        ListedPage page() throws IOException {
            expect('{');
            long ts = 0;
            boolean hasMore = false;
            Long nextOffset = null;
            List<Row> rows = new ArrayList<>();
            for (boolean more = !next('}'); more; more = afterMember('}')) {
                String name = name(PAGE_FIELDS);
                switch (name) {
                    case "sessions" -> {
                        if (peek() == '[') {
                            rows = rows();
                        } else {
                            skipValue();
                        }
                    }
                    case "ts" -> ts = orZero(number());
                    case "hasMore" -> hasMore = "true".equals(literal());
                    case "nextOffset" -> nextOffset = number();
                    default -> skipValue();
                }
            }
            List<FleetSnapshot.Listed> listed = new ArrayList<>(rows.size());
            for (Row r : rows) {
                listed.add(new FleetSnapshot.Listed(r.key, r.agentId, r.sessionId, r.status, r.hasActiveRun, r.updatedAt,
                        r.json, SessionTokens.of(r.inputTokens, r.outputTokens, r.totalTokens), ts));
            }
            return new ListedPage(listed, hasMore, nextOffset);
        }

        /** The array's objects, each with its text; anything else in it is skipped. */
        private List<Row> rows() throws IOException {
            List<Row> rows = new ArrayList<>();
            expect('[');
            for (boolean more = !next(']'); more; more = afterMember(']')) {
                if (peek() != '{') {
                    skipValue();
                    continue;
                }
                int start = pos;
                Row row = new Row();
                expect('{');
                for (boolean fields = !next('}'); fields; fields = afterMember('}')) {
                    String name = name(ROW_FIELDS);
                    switch (name) {
                        case "key" -> row.key = scalar();
                        case "agentId" -> row.agentId = scalar();
                        case "sessionId" -> row.sessionId = scalar();
                        case "status" -> row.status = scalar();
                        case "hasActiveRun" -> row.hasActiveRun = "true".equals(literal());
                        case "updatedAt" -> row.updatedAt = number();
                        case "inputTokens" -> row.inputTokens = scalar();
                        case "outputTokens" -> row.outputTokens = scalar();
                        case "totalTokens" -> row.totalTokens = scalar();
                        default -> skipValue();
                    }
                }
                row.json = text.substring(start, pos);
                rows.add(row);
            }
            return rows;
        }

        /**
         * A member's name and its colon: the one of {@code known} it is, or "" for any other. Names are compared in
         * place, not cut out of the text: a row has ~50 members, of which nine are read.
         */
        private String name(String[] known) throws IOException {
            if (peek() != '"') {
                throw error("a field name");
            }
            int start = pos;
            String name = "";
            if (skipString()) {
                name = (String) Json.parse(text.substring(start, pos));
            } else {
                int length = pos - start - 2;
                for (String k : known) {
                    if (k.length() == length && text.startsWith(k, start + 1)) {
                        name = k;
                        break;
                    }
                }
            }
            expect(':');
            return name;
        }

        /** After a member: true at a comma (another follows), false at {@code close}. */
        private boolean afterMember(char close) throws IOException {
            if (next(',')) {
                return true;
            }
            expect(close);
            return false;
        }

        /** A string as its text, a number or literal as written (like {@code Json.string}); else null. */
        private String scalar() throws IOException {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '{' || c == '[') {
                skipValue();
                return null;
            }
            String literal = literal();
            return "null".equals(literal) ? null : literal;
        }

        /** An integer, a number with a fraction or exponent (truncated), or null for anything else. */
        private Long number() throws IOException {
            char c = peek();
            if (c != '-' && (c < '0' || c > '9')) {
                skipValue();
                return null;
            }
            String n = literal();
            boolean integral = n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0;
            return integral ? Long.parseLong(n) : (long) Double.parseDouble(n);
        }

        private static long orZero(Long n) {
            return n == null ? 0 : n;
        }

        /** A string; escapes are decoded by the JSON parser (rare in the fields read here). */
        private String string() throws IOException {
            int start = pos;
            return skipString() ? (String) Json.parse(text.substring(start, pos)) : text.substring(start + 1, pos - 1);
        }

        /**
         * Past the string at {@code pos}, copying nothing; returns whether it holds escapes. Its end is found with
         * {@link String#indexOf}, unless a backslash comes before it.
         */
        private boolean skipString() throws IOException {
            int end = text.indexOf('"', pos + 1);
            if (backslash <= pos) {
                backslash = text.indexOf('\\', pos + 1);
                backslash = backslash < 0 ? Integer.MAX_VALUE : backslash;
            }
            if (end >= 0 && end < limit && end < backslash) {
                pos = end + 1;
                return false;
            }
            pos++;
            while (true) {
                if (pos >= limit) {
                    throw error("the end of a string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return true;
                }
                if (c == '\\') {
                    pos++;
                }
            }
        }

        /** A number, true, false or null, as written. */
        private String literal() throws IOException {
            int start = skipLiteral();
            return text.substring(start, pos);
        }

        /** Past a number, true, false or null; returns where it began. */
        private int skipLiteral() throws IOException {
            peek();
            int start = pos;
            while (pos < limit && ",}] \t\r\n".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            if (pos == start) {
                throw error("a value");
            }
            return start;
        }

        /** Any value, nested objects and arrays with their strings included. */
        private void skipValue() throws IOException {
            char c = peek();
            if (c == '"') {
                skipString();
            } else if (c == '{' || c == '[') {
                int depth = 0;
                do {
                    if (pos >= limit) {
                        throw error("the end of an object or array");
                    }
                    char d = text.charAt(pos);
                    if (d == '"') {
                        skipString();
                        continue;
                    }
                    if (d == '{' || d == '[') {
                        depth++;
                    } else if (d == '}' || d == ']') {
                        depth--;
                    }
                    pos++;
                } while (depth > 0);
            } else {
                skipLiteral();
            }
        }

        /** The next character that is not whitespace, not taken. */
        private char peek() throws IOException {
            while (pos < limit) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return c;
                }
                pos++;
            }
            throw error("more text");
        }

        /** Takes {@code c} when it comes next. */
        private boolean next(char c) throws IOException {
            if (peek() == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) throws IOException {
            if (!next(c)) {
                throw error("'" + c + "'");
            }
        }

        private IOException error(String expected) {
            return new IOException("expected " + expected + " at offset " + pos);
        }
    }
}
