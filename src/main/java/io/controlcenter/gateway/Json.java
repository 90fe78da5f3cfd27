package io.controlcenter.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
     * top-level field {@code field} begins and ends in {@code text}.
     */
    public static Parsed parseObject(String text, String field) throws IOException {
        try (JsonParser p = MAPPER.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            Map<String, Object> value = new LinkedHashMap<>();
            int start = -1;
            int end = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                int at = (int) p.currentTokenLocation().getCharOffset();
                value.put(name, MAPPER.readValue(p, Object.class));
                if (field.equals(name) && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
                    start = at;
                    end = (int) p.currentLocation().getCharOffset();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("not a JSON object");
            }
            if (p.nextToken() != null) {
                throw new IOException("text after the JSON object");
            }
            return new Parsed(value, start, end);
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
