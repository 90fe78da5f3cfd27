package io.controlcenter.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A sessions.list page read from its JSON text as the gateway sent it: each row's columns and its text cut out of the
 * page, not parsed into maps and written again. A sync reads 50,000 rows of ~2.5 KB; as maps they took most of its
 * time in Control Center and most of its garbage (BENCHMARKS.md).
 *
 * @param rows       the rows, each with the page's {@code ts}
 * @param hasMore    whether more pages follow
 * @param nextOffset where the next page starts (null when not given)
 */
record ListedPage(List<FleetSnapshot.Listed> rows, boolean hasMore, Long nextOffset) {

    private static final JsonFactory JSON = new JsonFactory();

    /** Reads the page; broken JSON or a payload that is not an object is an {@link UncheckedIOException}. */
    static ListedPage read(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("sessions.list payload is not a JSON object");
            }
            long ts = 0;
            boolean hasMore = false;
            Long nextOffset = null;
            List<Row> rows = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "sessions" -> {
                        if (value == JsonToken.START_ARRAY) {
                            rows(p, text, rows);
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "ts" -> ts = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                    case "hasMore" -> hasMore = value == JsonToken.VALUE_TRUE;
                    case "nextOffset" -> nextOffset = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    default -> p.skipChildren();
                }
            }
            List<FleetSnapshot.Listed> listed = new ArrayList<>(rows.size());
            for (Row r : rows) {
                listed.add(new FleetSnapshot.Listed(r.key, r.agentId, r.sessionId, r.status, r.hasActiveRun, r.updatedAt,
                        r.json, ts));
            }
            return new ListedPage(listed, hasMore, nextOffset);
        } catch (IOException e) {
            throw new UncheckedIOException("sessions.list payload: " + e.getMessage(), e);
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
        String json;
    }

    /** The array's objects, each with its text; anything else in the array is skipped. */
    private static void rows(JsonParser p, String text, List<Row> rows) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            int start = (int) p.currentTokenLocation().getCharOffset();
            Row row = new Row();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "key" -> row.key = scalar(p, value);
                    case "agentId" -> row.agentId = scalar(p, value);
                    case "sessionId" -> row.sessionId = scalar(p, value);
                    case "status" -> row.status = scalar(p, value);
                    case "hasActiveRun" -> row.hasActiveRun = value == JsonToken.VALUE_TRUE;
                    case "updatedAt" -> row.updatedAt = value.isNumeric() ? p.getLongValue() : null;
                    default -> p.skipChildren();
                }
            }
            row.json = text.substring(start, (int) p.currentLocation().getCharOffset());
            rows.add(row);
        }
    }

    /** A scalar as text (a number as its digits), like {@code Json.string}; an object, array or null: null. */
    private static String scalar(JsonParser p, JsonToken value) throws IOException {
        if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }
}
