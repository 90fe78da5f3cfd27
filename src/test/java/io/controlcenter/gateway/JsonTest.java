package io.controlcenter.gateway;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.Fixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The protocol code's JSON: a frame parsed once, with where its payload's text is (so the payload can be passed on as
 * received), and the lenient readers of fields that may be absent or of another type.
 */
class JsonTest {

    /** An agents.list response as the real gateway sent it (frames/04), as one line of text. */
    private static String agentsListResponse() {
        return Json.write(Fixtures.received("04-agents.list", "res"));
    }

    private static void assertNotFound(Json.Parsed parsed) {
        assertEquals(-1, parsed.start(), "start");
        assertEquals(-1, parsed.end(), "end");
    }

    @Test
    void theFieldsObjectValueIsFoundExactlyInTheText() throws IOException {
        String text = agentsListResponse();
        Json.Parsed parsed = Json.parseObject(text, "payload");

        assertEquals(Json.write(Fixtures.responsePayload("04-agents.list")), text.substring(parsed.start(), parsed.end()));
    }

    @Test
    void theWholeObjectIsParsedToo() throws IOException {
        Json.Parsed parsed = Json.parseObject(agentsListResponse(), "payload");

        assertEquals(Fixtures.received("04-agents.list", "res"), parsed.value());
    }

    @Test
    void theValuesTextIsFoundAmidWhitespaceAndCharactersBeyondAscii() throws IOException {
        String payload = """
                { "agents" : [ {"id":"writer", "identity":{"emoji":"✍️","name":"Wr\\u00efter"}} ] }""";
        String text = """
                {
                  "type": "res",
                  "note": "naïve 🦞",
                  "payload":   %s  ,
                  "ok": true
                }""".formatted(payload);
        Json.Parsed parsed = Json.parseObject(text, "payload");

        assertEquals(payload, text.substring(parsed.start(), parsed.end()));
    }

    @Test
    void anArrayValueIsFoundExactlyInTheText() throws IOException {
        String text = """
                {"type":"event","event":"presence","payload":[{"host":"gw"},{"host":"cc"}],"seq":7}""";
        Json.Parsed parsed = Json.parseObject(text, "payload");

        assertEquals("[{\"host\":\"gw\"},{\"host\":\"cc\"}]", text.substring(parsed.start(), parsed.end()));
    }

    @Test
    void onlyATopLevelFieldCounts() throws IOException {
        Json.Parsed parsed = Json.parseObject("{\"type\":\"res\",\"error\":{\"payload\":{\"x\":1}}}", "payload");

        assertNotFound(parsed);
    }

    @Test
    void anAbsentFieldIsMinusOne() throws IOException {
        Json.Parsed parsed = Json.parseObject("""
                {"type":"res","id":"a-3","ok":false,"error":{"code":"INVALID_REQUEST"}}""", "payload");

        assertNotFound(parsed);
    }

    @Test
    void aScalarValueIsMinusOne() throws IOException {
        Json.Parsed parsed = Json.parseObject("{\"type\":\"res\",\"payload\":\"text\"}", "payload");

        assertNotFound(parsed);
        assertEquals("text", parsed.value().get("payload"));
    }

    @Test
    void aNullValueIsMinusOne() throws IOException {
        Json.Parsed parsed = Json.parseObject("{\"type\":\"res\",\"payload\":null}", "payload");

        assertNotFound(parsed);
    }

    @Test
    void anArrayIsNotAnObject() {
        assertThrows(IOException.class, () -> Json.parseObject("[1,2,3]", "payload"));
        assertThrows(IOException.class, () -> Json.parseObject("[1,2,3]"));
    }

    @Test
    void aScalarIsNotAnObject() {
        assertThrows(IOException.class, () -> Json.parseObject("42", "payload"));
        assertThrows(IOException.class, () -> Json.parseObject("\"text\""));
    }

    @Test
    void brokenTextIsAnError() {
        assertThrows(IOException.class, () -> Json.parseObject("{\"type\":\"event\",\"event\":\"presence\",", "payload"));
        assertThrows(IOException.class, () -> Json.parseObject("this is not json", "payload"));
        assertThrows(IOException.class, () -> Json.parseObject("{\"type\":\"event\",\"event\":\"presence\","));
    }

    @Test
    void textAfterTheObjectIsAnError() throws IOException {
        String frame = "{\"type\":\"event\",\"event\":\"presence\",\"seq\":3}";
        assertThrows(IOException.class, () -> Json.parseObject(frame + " " + frame, "payload"));
        assertThrows(IOException.class, () -> Json.parseObject(frame + "x", "payload"));
        assertThrows(IOException.class, () -> Json.parseObject(frame + " " + frame));
        assertEquals(3, Json.parseObject(frame + " \n", "payload").value().get("seq"));
    }

    @Test
    void emptyTextIsAnError() {
        assertThrows(IOException.class, () -> Json.parseObject("", "payload"));
    }

    @Test
    void aStringFieldIsItsText() {
        assertEquals("main", Json.string(Map.of("defaultId", "main"), "defaultId"));
    }

    @Test
    void aNonStringFieldIsReadAsText() {
        assertEquals("4", Json.string(Map.of("protocol", 4), "protocol"));
        assertEquals("true", Json.string(Map.of("ok", true), "ok"));
    }

    @Test
    void aStringOfNothingIsNull() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("nextOffset", null);
        assertNull(Json.string(null, "id"));
        assertNull(Json.string(Map.of(), "id"));
        assertNull(Json.string(withNull, "nextOffset"));
    }

    @Test
    void aNumberFieldIsALong() {
        assertEquals(1_795_236_099_469L, Json.number(Map.of("ts", 1_795_236_099_469L), "ts"));
        assertEquals(7L, Json.number(Map.of("seq", 7), "seq"));
    }

    @Test
    void aFractionalNumberIsCutToALong() {
        assertEquals(2L, Json.number(Map.of("jitter", 2.7), "jitter"));
    }

    @Test
    void aNumberOfAnotherTypeOrOfNothingIsNull() {
        assertNull(Json.number(Map.of("seq", "7"), "seq"));
        assertNull(Json.number(Map.of("seq", List.of(7)), "seq"));
        assertNull(Json.number(Map.of(), "seq"));
        assertNull(Json.number(null, "seq"));
    }

    @Test
    void aMapIsItself() {
        Map<String, Object> payload = Map.of("defaultId", "main");
        assertSame(payload, Json.map(payload));
    }

    @Test
    void aMapOfAnotherTypeOrOfNothingIsNull() {
        assertNull(Json.map(null));
        assertNull(Json.map("payload"));
        assertNull(Json.map(List.of(Map.of("id", "main"))));
    }
}
