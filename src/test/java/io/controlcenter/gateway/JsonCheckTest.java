package io.controlcenter.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check every frame passes before it is used: it must call JSON exactly what Jackson (the mapper that later reads
 * the payload) calls JSON, or a frame would be used that cannot be read, or one refused that could. Jackson is the
 * judge: the frames captured from the real gateway, hand-picked broken texts, the mapper's limits, and thousands of
 * frames broken at random, each judged by both.
 */
class JsonCheckTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final StreamReadConstraints LIMITS = MAPPER.getFactory().streamReadConstraints();

    /** Every frame captured from the real gateway, as one line and indented. */
    private static List<String> capturedFrames() throws IOException {
        List<String> frames = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/frames"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                for (Object entry : MAPPER.readValue(file.toFile(), List.class)) {
                    Object frame = ((Map<?, ?>) entry).get("frame");
                    if (frame instanceof Map<?, ?>) {
                        frames.add(MAPPER.writeValueAsString(frame));
                        frames.add(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(frame));
                    }
                }
            }
        }
        assertTrue(frames.size() > 30, "captured frames found: " + frames.size());
        return frames;
    }

    private static boolean jacksonAccepts(String text) {
        try {
            Json.parseObject(text);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean checkAccepts(String text) {
        try {
            JsonCheck.objectField(text, "payload", LIMITS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertAgrees(String text) {
        assertEquals(jacksonAccepts(text), checkAccepts(text), () -> "Jackson and the check disagree on: " + text);
    }

    @Test
    void everyCapturedFrameIsJsonAndItsPayloadIsFoundExactly() throws IOException {
        for (String text : capturedFrames()) {
            Map<String, Object> expected = Json.parseObject(text);
            JsonCheck.Range range = JsonCheck.objectField(text, "payload", LIMITS);
            if (expected.get("payload") instanceof Map<?, ?> || expected.get("payload") instanceof List<?>) {
                assertEquals(expected.get("payload"), MAPPER.readValue(text.substring(range.start(), range.end()), Object.class));
            } else {
                assertNull(range, text);
            }
            assertEquals(expected, Json.parseObject(text, "payload").value(), text);
        }
    }

    @Test
    void brokenTextIsRefusedWithWhereAndWhat() {
        String[] broken = {
            "", " ", "{", "}", "{]", "[]", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "{\"a\" 1}", "{a:1}", "{'a':1}",
            "{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}",
            "{\"a\":+1}", "{\"a\":NaN}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}", "{\"a\":\"x}", "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"line\nbreak\"}",
            "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":1} // note", "{\"a\":1\u000b}", "\ufeff{\"a\":1}", "{\"a\":[}",
            "{\"a\":{\"b\":1]}", "{\"payload\":{\"a\":[1,2}}", "{\"payload\":{\"a\":\"\u0000\"}}", "{,}", "{\"a\"}",
        };
        for (String text : broken) {
            assertTrue(!jacksonAccepts(text), "Jackson accepts " + text);
            IOException e = assertThrows(IOException.class, () -> JsonCheck.objectField(text, "payload", LIMITS), text);
            assertTrue(e.getMessage().matches("not valid JSON: expected .+ at offset \\d+, found .+"), e.getMessage());
        }
    }

    @Test
    void validTextOfEveryKindIsAccepted() {
        String[] valid = {
            "{}", " {\"a\" : 1 } \n", "{\"a\":-0}", "{\"a\":0.5e-3}", "{\"a\":1E+9}", "{\"a\":[]}", "{\"a\":[[],{}]}",
            "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83E\\uDD9E\"}", "{\"a\":\"naïve 🦞\"}", "{\"a\":true,\"b\":false,\"c\":null}",
            "{\"a\":12345678901234567890123}", "{\"payload\":{},\"payload\":[]}", "{\"pay\\u006coad\":{\"a\":1}}",
        };
        for (String text : valid) {
            assertTrue(jacksonAccepts(text), "Jackson refuses " + text);
            assertTrue(checkAccepts(text), text);
        }
    }

    @Test
    void theMappersLimitsAreTheChecksLimits() {
        int depth = LIMITS.getMaxNestingDepth();
        String deepest = "{\"a\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
        String tooDeep = "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        int digits = LIMITS.getMaxNumberLength();
        String longest = "{\"a\":-" + "7".repeat(digits) + "}";
        String tooLong = "{\"a\":" + "7".repeat(digits + 1) + "}";
        for (String text : List.of(deepest, tooDeep, longest, tooLong)) {
            assertAgrees(text);
        }
        assertTrue(checkAccepts(deepest) && checkAccepts(longest), "the limits themselves are allowed");
        assertTrue(!checkAccepts(tooDeep) && !checkAccepts(tooLong), "one beyond them is not");
    }

    @Test
    void whereThePayloadIsNotOneObjectNothingIsLeftOut() throws IOException {
        assertNull(JsonCheck.objectField("{\"payload\":{},\"payload\":[]}", "payload", LIMITS), "twice");
        assertNull(JsonCheck.objectField("{\"pay\\u006coad\":{\"a\":1}}", "payload", LIMITS), "an escaped name");
        assertNull(JsonCheck.objectField("{\"payload\":7}", "payload", LIMITS), "a number");
        assertNull(JsonCheck.objectField("{\"error\":{\"payload\":{}}}", "payload", LIMITS), "not at the top level");
        assertEquals(List.of(1), Json.parseObject("{\"payload\":{},\"payload\":[1]}", "payload").value().get("payload"));
        assertEquals(Map.of("a", 1), Json.parseObject("{\"pay\\u006coad\":{\"a\":1}}", "payload").value().get("payload"));
    }

    @Test
    void framesBrokenAtRandomAreJudgedAsJacksonJudgesThem() throws IOException {
        List<String> frames = capturedFrames();
        String pieces = "{}[]\",:\\ 0123456789-+.eEtrufalsn\u0001\t\n";
        SplittableRandom random = new SplittableRandom(18);
        int refused = 0;
        for (int i = 0; i < 40_000; i++) {
            StringBuilder text = new StringBuilder(frames.get(random.nextInt(frames.size())));
            for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
                int at = random.nextInt(text.length());
                char piece = pieces.charAt(random.nextInt(pieces.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, piece);
                    default -> text.setCharAt(at, piece);
                }
            }
            String mutated = text.toString();
            assertAgrees(mutated);
            refused += checkAccepts(mutated) ? 0 : 1;
        }
        assertTrue(refused > 10_000 && refused < 39_000, "both kinds were judged: " + refused + " of 40,000 refused");
    }
}
