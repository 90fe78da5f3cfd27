package io.controlcenter.gateway;

import java.io.IOException;
import java.util.Map;

/**
 * One frame read from the gateway: {@code req}, {@code res} or {@code event}, kept as the parsed JSON object.
 *
 * @param type     the frame's {@code type}
 * @param id       request id ({@code req} and {@code res})
 * @param event    event name ({@code event})
 * @param seq      frame-level sequence number of a broadcast event, per connection; null when absent
 * @param fields   the whole frame as parsed
 * @param text     the frame's text as received
 * @param payloadStart where the {@code payload} object's text begins in {@code text}, -1 when there is none
 * @param payloadEnd   where it ends (exclusive)
 */
public record Frame(String type, String id, String event, Long seq, Map<String, Object> fields, String text,
                    int payloadStart, int payloadEnd) {

    public static Frame parse(String text) throws IOException {
        Json.Parsed parsed = Json.parseObject(text, "payload");
        Map<String, Object> fields = parsed.value();
        Object type = fields.get("type");
        if (!(type instanceof String)) {
            throw new IOException("frame has no string 'type'");
        }
        return new Frame((String) type, Json.string(fields, "id"), Json.string(fields, "event"),
                Json.number(fields, "seq"), fields, text, parsed.start(), parsed.end());
    }

    /**
     * The payload's JSON exactly as the gateway sent it (no second serialization of what was just parsed), or null
     * when the frame has no payload object.
     */
    public String payloadJson() {
        return payloadStart < 0 ? null : text.substring(payloadStart, payloadEnd);
    }

    /** The payload's JSON as the gateway sent it, not copied out of the frame, or null when it has no payload object. */
    public PayloadText payloadText() {
        return payloadStart < 0 ? null : new PayloadText(text, payloadStart, payloadEnd);
    }

    public Map<String, Object> payload() {
        return Json.map(fields.get("payload"));
    }

    public boolean ok() {
        return Boolean.TRUE.equals(fields.get("ok"));
    }

    public Map<String, Object> error() {
        return Json.map(fields.get("error"));
    }

    /** The number of bytes {@code s} takes in UTF-8 (a frame's size on the wire), without encoding it. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n++;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
