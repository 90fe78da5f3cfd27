package io.controlcenter.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Frames captured from the real gateway (src/test/resources/frames). */
public final class Fixtures {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    /** All entries of a capture file: {dir, frame} or {dir: close, code, reason}. */
    public static List<Map<String, Object>> entries(String file) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/frames/" + file + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + file);
            }
            return MAPPER.readValue(in, new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first frame the gateway sent in that capture whose type is {@code type}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> received(String file, String type) {
        return entries(file).stream()
                .filter(e -> "in".equals(e.get("dir")))
                .map(e -> (Map<String, Object>) e.get("frame"))
                .filter(f -> type.equals(f.get("type")))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(file + " has no received " + type));
    }

    /** The payload of the first response in that capture. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> responsePayload(String file) {
        return (Map<String, Object>) received(file, "res").get("payload");
    }

    /** The close entry of that capture: {code, reason}. */
    public static Map<String, Object> close(String file) {
        return entries(file).stream().filter(e -> "close".equals(e.get("dir"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(file + " has no close"));
    }

    @SuppressWarnings("unchecked")
    public static <T> T copy(T value) {
        return (T) MAPPER.convertValue(value, Object.class);
    }
}
