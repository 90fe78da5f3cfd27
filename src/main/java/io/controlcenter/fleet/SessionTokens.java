package io.controlcenter.fleet;

import java.util.Map;

import io.controlcenter.gateway.Json;

/**
 * A session row's token counts, as its row is written (V12: the sessions table's token columns, which agent_usage
 * sums): each the text of a JSON string or number of 1 to 30 digits, else null (not a count).
 */
record SessionTokens(String input, String output, String total) {

    static final SessionTokens NONE = new SessionTokens(null, null, null);

    /** The counts of a row given as a map (an event's, or a polled one). */
    static SessionTokens of(Map<String, Object> row) {
        return of(Json.string(row, "inputTokens"), Json.string(row, "outputTokens"), Json.string(row, "totalTokens"));
    }

    /** The counts of the fields' texts as read (a string's text, a number as written; null when absent). */
    static SessionTokens of(String input, String output, String total) {
        return new SessionTokens(count(input), count(output), count(total));
    }

    /** {@code text} when it is 1 to 30 digits, else null. */
    static String count(String text) {
        if (text == null || text.isEmpty() || text.length() > 30) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return text;
    }
}
