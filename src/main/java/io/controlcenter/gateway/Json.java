package io.controlcenter.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/** The one JSON mapper of the gateway protocol code. Frames are plain maps, lists and scalars. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    /** Reads one JSON value and nothing after it (a frame is one object, not one followed by more text). */
    private static final ObjectReader STRICT = MAPPER.readerFor(MAP).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** The mapper's limits (nesting, number, string and name length), which {@link JsonCheck} applies too. */
    private static final StreamReadConstraints LIMITS = MAPPER.getFactory().streamReadConstraints();

    private Json() {
    }

    /** Parses a JSON object; anything else (an array, a scalar, broken text, text after it) is an {@link IOException}. */
    public static Map<String, Object> parseObject(String text) throws IOException {
        return STRICT.readValue(text);
    }

    /** Parses any JSON value: a map, a list, a string, a number, a boolean or null. */
    public static Object parse(String text) throws IOException {
        return MAPPER.readValue(text, Object.class);
    }

    /** A parsed JSON object, and where the value of one of its top-level fields is in the text (-1 when absent). */
    public record Parsed(Map<String, Object> value, int start, int end) {
    }

    /**
     * Parses a JSON object like {@link #parseObject(String)} and notes where the object or array value of its
     * top-level field {@code field} begins and ends in {@code text}. That value is checked as JSON ({@link JsonCheck})
     * but turned into maps and lists only when first read from the returned map ({@link LazyField}): a large answer a
     * reader takes as text (a sessions.list page) is never built as maps, and an event no route reads the payload of
     * costs little. The rest of the object is parsed as usual.
     */
    public static Parsed parseObject(String text, String field) throws IOException {
        JsonCheck.Range range = JsonCheck.objectField(text, field, LIMITS);
        if (range == null) {
            return new Parsed(STRICT.readValue(text), -1, -1);
        }
        Map<String, Object> value = STRICT.readValue(text.substring(0, range.start()) + "null" + text.substring(range.end()));
        value.remove(field);
        return new Parsed(new LazyField(value, field, text, range.start(), range.end()), range.start(), range.end());
    }

    /**
     * A parsed JSON object but for one field, whose value (an object or array) is kept as its text and parsed when
     * first read; otherwise an ordinary map.
     */
    static final class LazyField extends AbstractMap<String, Object> {

        private final Map<String, Object> fields;
        private final String field;
        /** The whole text, until the value is parsed; then null. */
        private String text;
        private final int start;
        private final int end;

        LazyField(Map<String, Object> fields, String field, String text, int start, int end) {
            this.fields = fields;
            this.field = field;
            this.text = text;
            this.start = start;
            this.end = end;
        }

        private Map<String, Object> all() {
            if (text != null) {
                try {
                    fields.put(field, MAPPER.readValue(text.substring(start, end), Object.class));
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e); // JsonCheck found it JSON within the mapper's limits: not expected
                }
                text = null;
            }
            return fields;
        }

        @Override
        public Object get(Object key) {
            return field.equals(key) ? all().get(key) : fields.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return field.equals(key) || fields.containsKey(key);
        }

        @Override
        public Object put(String key, Object value) {
            return all().put(key, value);
        }

        @Override
        public int size() {
            return text != null ? fields.size() + 1 : fields.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return all().entrySet();
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : null;
    }

    public static String string(Map<String, Object> map, String key) {
        Object v = map == null ? null : map.get(key);
        return v == null ? null : v.toString();
    }

    public static Long number(Map<String, Object> map, String key) {
        Object v = map == null ? null : map.get(key);
        return v instanceof Number n ? n.longValue() : null;
    }
}
