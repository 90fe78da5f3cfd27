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
 * @param size     length of the frame's text
 */
public record Frame(String type, String id, String event, Long seq, Map<String, Object> fields, int size) {

    public static Frame parse(String text) throws IOException {
        Map<String, Object> fields = Json.parseObject(text);
        Object type = fields.get("type");
        if (!(type instanceof String)) {
            throw new IOException("frame has no string 'type'");
        }
        return new Frame((String) type, Json.string(fields, "id"), Json.string(fields, "event"),
                Json.number(fields, "seq"), fields, text.length());
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
}
