package io.controlcenter.sse;

import java.nio.charset.StandardCharsets;

/**
 * One Server-Sent Event: {@code id} is the event-log id (assigned by the caller; {@code 0} or less means none: no
 * {@code id:} line is written and the message is never skipped as already sent), {@code event} the event name
 * (e.g. {@code fleet.update}), {@code data} the JSON text, {@code gateway} and {@code sessionKey} the gateway and session
 * it belongs to, or {@code null}; clients of {@code GET /api/events?gateway=NAME&session=KEY} only receive messages of
 * that gateway and session ({@link SseFilter}).
 */
public record SseMessage(long id, String event, String data, String gateway, String sessionKey) {

    public SseMessage {
        if (event == null || event.isBlank() || event.indexOf('\n') >= 0 || event.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("SSE event name must be one non-blank line: '" + event + "'");
        }
        data = data == null ? "" : data;
    }

    public SseMessage(long id, String event, String data) {
        this(id, event, data, null, null);
    }

    public SseMessage(long id, String event, String data, String sessionKey) {
        this(id, event, data, null, sessionKey);
    }

    /** The wire form: {@code id: N}, {@code event: E}, one {@code data:} line per line of data, a blank line. */
    public String wire() {
        StringBuilder sb = new StringBuilder(data.length() + event.length() + 40);
        if (id > 0) {
            sb.append("id: ").append(id).append('\n');
        }
        sb.append("event: ").append(event).append('\n');
        int start = 0;
        int n = data.length();
        for (int i = 0; i < n; i++) {
            char c = data.charAt(i);
            if (c == '\n' || c == '\r') {
                sb.append("data: ").append(data, start, i).append('\n');
                if (c == '\r' && i + 1 < n && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        sb.append("data: ").append(data, start, n).append("\n\n");
        return sb.toString();
    }

    byte[] wireBytes() {
        return wire().getBytes(StandardCharsets.UTF_8);
    }
}
