package io.controlcenter.fleet;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;
import io.controlcenter.support.Fixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListedPageTest {

    private static final String ROW_A = """
            {"key":"agent:main:main","agentId":"main","sessionId":"s-1","status":"done","hasActiveRun":false,\
            "updatedAt":1795235796766,"label":"naïve 🦞 \\"quoted\\"","origin":{"provider":"x","nested":[1,{"a":null}]},\
            "inputTokens":120,"outputTokens":"45","totalTokens":1.5}""";
    private static final String ROW_B = """
            { "key" : "agent:ops:cron" , "agentId":"ops", "hasActiveRun" : true, "status": null, "updatedAt": 12,\
              "inputTokens": {"n": 1}, "totalTokens": "0123456789012345678901234567890", "outputTokens": null }""";

    @Test
    void eachRowsTextIsCutOutOfThePageExactlyAndItsColumnsRead() {
        String page = "{\"ts\":1795235799000,\"sessions\":[" + ROW_A + ",\n  " + ROW_B
                + "],\"hasMore\":true,\"nextOffset\":2,\"defaults\":{\"model\":\"m\"}}";

        ListedPage read = ListedPage.read(page);

        assertEquals(2, read.rows().size());
        FleetSnapshot.Listed a = read.rows().get(0);
        assertEquals(ROW_A, a.json());
        assertEquals("agent:main:main", a.key());
        assertEquals("main", a.agentId());
        assertEquals("s-1", a.sessionId());
        assertEquals("done", a.status());
        assertFalse(a.hasActiveRun());
        assertEquals(1795235796766L, a.updatedAt());
        assertEquals(1795235799000L, a.listedAt());
        // counts: digits as a number or a string; not a count: a fraction, an object, 31 digits, null, absent
        assertEquals(new SessionTokens("120", "45", null), a.tokens());
        FleetSnapshot.Listed b = read.rows().get(1);
        assertEquals(ROW_B, b.json());
        assertTrue(b.hasActiveRun());
        assertNull(b.status());
        assertNull(b.sessionId());
        assertEquals(SessionTokens.NONE, b.tokens());
        assertTrue(read.hasMore());
        assertEquals(2L, read.nextOffset());
    }

    @Test
    void aPageIsReadWhereItLiesInItsFrameAsFromItsOwnText() throws Exception {
        String page = "{\"ts\":7,\"sessions\":[" + ROW_A + "," + ROW_B + "],\"hasMore\":true,\"nextOffset\":2}";
        // the page's own key and a quote after it, in the frame: the page ends where it ends, not at the frame's end
        String frame = "{\"type\":\"res\",\"id\":\"cc-1\",\"ok\":true,\"payload\":" + page + ",\"key\":\"x\\\"\"}";
        Json.Parsed parsed = Json.parseObject(frame, "payload");

        ListedPage inFrame = ListedPage.read(frame, parsed.start(), parsed.end());

        assertEquals(ListedPage.read(page), inFrame);
        assertEquals(List.of(ROW_A, ROW_B), inFrame.rows().stream().map(FleetSnapshot.Listed::json).toList());
    }

    @Test
    void readsWhatTheMapsOfThePageGive() throws Exception {
        String page = "{\"sessions\":[" + ROW_A + "," + ROW_B + "],\"hasMore\":false,\"nextOffset\":null,\"ts\":5}";
        FleetSnapshot fromText = new FleetSnapshot("gw", false, "websocket");
        FleetSnapshot fromMaps = new FleetSnapshot("gw", false, "websocket");

        fromText.addSessionsPage(page);
        fromMaps.addSessionsPage(Json.parseObject(page));

        assertEquals(fromMaps.getSessions().size(), fromText.getSessions().size());
        for (int i = 0; i < fromMaps.getSessions().size(); i++) {
            FleetSnapshot.Listed m = fromMaps.getSessions().get(i);
            FleetSnapshot.Listed t = fromText.getSessions().get(i);
            assertEquals(Json.parseObject(m.json()), Json.parseObject(t.json()), "row " + i);
            assertEquals(List.of(m.key(), m.agentId(), String.valueOf(m.sessionId()), String.valueOf(m.status()),
                            m.hasActiveRun(), m.updatedAt(), m.tokens(), m.listedAt()),
                    List.of(t.key(), t.agentId(), String.valueOf(t.sessionId()), String.valueOf(t.status()),
                            t.hasActiveRun(), t.updatedAt(), t.tokens(), t.listedAt()));
        }
        assertEquals(fromMaps.isMoreSessions(), fromText.isMoreSessions());
        assertEquals(fromMaps.getListedKeys(), fromText.getListedKeys());
    }

    @Test
    void theRealGatewaysPageReadsAsItsMaps() throws Exception {
        // the payload as the real gateway sent it (captured frame 65), pretty-printed so whitespace is everywhere
        Map<String, Object> payload = Fixtures.responsePayload("65-sessions.list-after-runs");
        String text = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(payload);
        FleetSnapshot fromText = new FleetSnapshot("gw", false, "websocket");
        FleetSnapshot fromMaps = new FleetSnapshot("gw", false, "websocket");

        fromText.addSessionsPage(text);
        fromMaps.addSessionsPage(payload);

        assertFalse(fromMaps.getSessions().isEmpty());
        assertEquals(fromMaps.getSessions().size(), fromText.getSessions().size());
        for (int i = 0; i < fromMaps.getSessions().size(); i++) {
            FleetSnapshot.Listed m = fromMaps.getSessions().get(i);
            FleetSnapshot.Listed t = fromText.getSessions().get(i);
            assertEquals(Json.parseObject(m.json()), Json.parseObject(t.json()), "row " + i);
            assertEquals(columns(m), columns(t), "row " + i);
        }
    }

    /** A row's columns, its text apart. */
    private static List<Object> columns(FleetSnapshot.Listed l) {
        return java.util.Arrays.asList(l.key(), l.agentId(), l.sessionId(), l.status(), l.hasActiveRun(), l.updatedAt(),
                l.tokens(), l.listedAt());
    }

    @Test
    void whatIsNotAnObjectInTheListIsSkipped() {
        ListedPage read = ListedPage.read("{\"sessions\":[1,\"x\",null,[2]," + ROW_B + "]}");

        assertEquals(1, read.rows().size());
        assertEquals("agent:ops:cron", read.rows().get(0).key());
        assertFalse(read.hasMore());
    }

    @Test
    void brokenJsonIsAnErrorNamingTheMethod() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> ListedPage.read("{\"sessions\":[{\"key\":\"a\",}]}"));
        assertTrue(e.getMessage().startsWith("sessions.list payload"), e.getMessage());
        assertThrows(UncheckedIOException.class, () -> ListedPage.read("[]"));
    }

    @Test
    void aPageWithoutSessionsHasNoRowsAndNoMore() {
        ListedPage read = ListedPage.read("{\"count\":0,\"sessions\":[],\"hasMore\":false,\"owners\":[]}");

        assertEquals(List.of(), read.rows());
        assertFalse(read.hasMore());
        assertNull(read.nextOffset());
    }
}
