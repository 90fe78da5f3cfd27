package io.controlcenter.chat;

import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;

/**
 * What a dashboard shows of a run after one chat event: the full text so far, the increment to append
 * ({@code deltaText}) and whether it replaces what was shown instead ({@code replace}). Pure functions of the text shown
 * before and the event, so {@link ChatTracker} only decides which events count.
 */
record ChatText(String text, String increment, boolean replace) {

    /**
     * The text after an event of {@code state} with {@code payload}, when {@code shown} was shown before. A delta
     * carries an increment ({@code deltaText}), the cumulative message, or both; a final, aborted or error carries its
     * message, which wins over the sum of the deltas; a status changes no text.
     */
    static ChatText after(String shown, String state, Map<String, Object> payload) {
        String full = messageText(payload.get("message"));
        String deltaText = Json.string(payload, "deltaText");
        boolean replace = Boolean.TRUE.equals(payload.get("replace"));
        return switch (state) {
            case "delta" -> delta(shown, full, deltaText, replace);
            case "final", "aborted", "error" -> terminal(shown, full, replace);
            default -> new ChatText(shown, null, replace);
        };
    }

    private static ChatText delta(String shown, String full, String deltaText, boolean replace) {
        if (replace) {
            String text = full != null ? full : deltaText != null ? deltaText : shown;
            return new ChatText(text, deltaText != null ? deltaText : text, true);
        }
        if (full == null) {
            return deltaText == null ? new ChatText(shown, null, false) : new ChatText(shown + deltaText, deltaText, false);
        }
        // the cumulative message is the truth: the gateway's deltaText is relative to what it sent, not to what was shown
        if (full.startsWith(shown)) {
            return new ChatText(full, full.substring(shown.length()), false);
        }
        // the cumulative text no longer extends what was shown: the client replaces it
        return new ChatText(full, full, true);
    }

    private static ChatText terminal(String shown, String full, boolean replace) {
        if (full == null) {
            return new ChatText(shown, null, replace);
        }
        if (!full.startsWith(shown)) {
            return new ChatText(full, full, true);
        }
        return new ChatText(full, full.length() > shown.length() ? full.substring(shown.length()) : null, replace);
    }

    /** The text of a chat message: a string content, or its text parts joined. */
    @SuppressWarnings("unchecked")
    static String messageText(Object message) {
        if (message instanceof String s) {
            return s;
        }
        if (!(message instanceof Map<?, ?> m)) {
            return null;
        }
        Object content = m.get("content");
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof List<?> parts) {
            StringBuilder sb = new StringBuilder();
            for (Object part : parts) {
                Map<String, Object> p = Json.map(part);
                if (p != null && "text".equals(p.get("type")) && p.get("text") != null) {
                    sb.append(p.get("text"));
                }
            }
            return sb.toString();
        }
        return Json.string((Map<String, Object>) m, "text");
    }
}
