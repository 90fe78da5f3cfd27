package io.controlcenter.fallback;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.controlcenter.fleet.FleetSnapshot;
import io.controlcenter.gateway.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The polling fallback's reading of the gateway's {@code POST /tools/invoke} answers into a fleet snapshot. Answers
 * as the real gateway gives them (docs/HTTP-FALLBACK-NOTES.md): {@code {ok, result: {content: [{type: text, text}],
 * details}}}, the structured result in {@code details} and again as text in {@code content}.
 */
class FallbackFetchParsingTest {

    /** agents_list with {@code agents.defaults.subagents.allowAgents: ["*"]}: every agent, requester first. */
    private static final String ALL_AGENTS = """
            {"requester":"main","allowAny":true,"agents":[
             {"id":"main","configured":true,"model":"mock/mock-1",
              "agentRuntime":{"id":"auto","source":"implicit"}},
             {"id":"ops","name":"Ops","configured":true,"model":"mock/mock-1",
              "agentRuntime":{"id":"auto","source":"implicit"}},
             {"id":"research","name":"research","configured":true,"model":"mock/mock-1",
              "agentRuntime":{"id":"auto","source":"implicit"}}]}
            """;

    /** agents_list with the default config: only the requester. */
    private static final String DEFAULT_AGENT_ONLY = """
            {"requester":"main","allowAny":false,"agents":[{"id":"main","configured":true,
             "model":"mock/mock-1","agentRuntime":{"id":"auto","source":"implicit"}}]}
            """;

    private final FallbackFetch fetch = new FallbackFetch();
    private final FleetSnapshot snapshot = fetch.begin("default");

    /** A tools/invoke answer with {@code details}. */
    private static String answer(String details) throws IOException {
        Map<String, Object> parsed = Json.parseObject(details);
        return Json.write(Map.of("ok", true, "result", Map.of(
                "content", List.of(Map.of("type", "text", "text", details)), "details", parsed)));
    }

    /** A sessions_list result with a row per status (null: a session that never ran has none). */
    private static String sessionsPage(boolean hasMore, Integer nextOffset, String... statuses) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < statuses.length; i++) {
            String status = statuses[i] == null ? "" : ",\"status\":\"" + statuses[i] + "\"";
            rows.append(i == 0 ? "" : ",").append("""
                    {"key":"agent:main:s%d","sessionId":"sid-%d","agentId":"main","kind":"other","channel":"unknown",
                     "archived":false,"pinned":false,"updatedAt":%d,"model":"mock-1","contextTokens":128000%s}"""
                    .formatted(i, i, 1_795_243_472_492L - i, status));
        }
        return "{\"count\":" + statuses.length + ",\"hasMore\":" + hasMore
                + (nextOffset == null ? "" : ",\"nextOffset\":" + nextOffset)
                + ",\"limitApplied\":200,\"sessions\":[" + rows + "]}";
    }

    @Test
    void theRequesterIsTheDefaultAgent() throws IOException {
        fetch.agents(snapshot, answer(ALL_AGENTS));

        assertEquals("main", snapshot.getAgents().get("defaultId"));
    }

    @Test
    void eachAgentKeepsItsIdNameAndModelAsPrimary() throws IOException {
        fetch.agents(snapshot, answer(ALL_AGENTS));

        assertEquals(List.of(
                Map.of("id", "main", "model", Map.of("primary", "mock/mock-1")),
                Map.of("id", "ops", "name", "Ops", "model", Map.of("primary", "mock/mock-1")),
                Map.of("id", "research", "name", "research", "model", Map.of("primary", "mock/mock-1"))),
                snapshot.getAgents().get("agents"));
    }

    @Test
    void anAgentWithoutModelHasNoModel() throws IOException {
        fetch.agents(snapshot, answer("""
                {"requester":"main","allowAny":true,"agents":[{"id":"main","configured":true}]}"""));

        assertEquals(List.of(Map.of("id", "main")), snapshot.getAgents().get("agents"));
    }

    @Test
    void theListingIsCompleteWhenTheGatewayAllowsAnyAgent() throws IOException {
        fetch.agents(snapshot, answer(ALL_AGENTS));

        assertTrue(snapshot.isAgentsComplete());
    }

    @Test
    void theListingIsNotCompleteWhenItHasOnlyTheAllowedAgents() throws IOException {
        fetch.agents(snapshot, answer(DEFAULT_AGENT_ONLY));

        assertFalse(snapshot.isAgentsComplete(), "agents missing from it are not gone");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAgentsThatOwnSessionsAreListedToo() throws IOException {
        // the default config lists only the requester; research and ops show by their sessions
        fetch.agents(snapshot, answer(DEFAULT_AGENT_ONLY));
        String page = sessionsPage(false, null, "done", "done", "done").replaceFirst("\"agentId\":\"main\"",
                "\"agentId\":\"research\"").replaceFirst("(\"key\":\"agent:main:s2\"[^}]*)\"agentId\":\"main\"",
                "$1\"agentId\":\"ops\"");
        fetch.sessionsPage(snapshot, answer(page));

        List<Map<String, Object>> agents = (List<Map<String, Object>>) snapshot.getAgents().get("agents");
        assertEquals(List.of("main", "research", "ops"), agents.stream().map(a -> a.get("id")).toList());
        assertEquals(Map.of("id", "research"), agents.get(1), "known only by its id: the stored agent keeps its name");
        assertFalse(snapshot.isAgentsComplete(), "agents known from the WebSocket are still not marked gone");
    }

    @Test
    void aSessionRunsWhileItsStatusIsRunningOrQueued() throws IOException {
        fetch.sessionsPage(snapshot, answer(sessionsPage(false, null, "running", "queued", "done", "failed", null)));

        assertEquals(List.of(true, true, false, false, false),
                snapshot.getSessions().stream().map(FleetSnapshot.Listed::hasActiveRun).toList());
    }

    @Test
    void theRowsKeepTheGatewaysFields() throws IOException {
        fetch.sessionsPage(snapshot, answer(sessionsPage(false, null, "done")));

        FleetSnapshot.Listed row = snapshot.getSessions().get(0);
        assertEquals("agent:main:s0", row.key());
        assertEquals("main", row.agentId());
        assertEquals("sid-0", row.sessionId());
        assertEquals("done", row.status());
        assertEquals(1_795_243_472_492L, row.updatedAt());
        assertEquals("mock-1", Json.parseObject(row.json()).get("model"));
    }

    @Test
    void aPageWithMoreAsksForTheNextOffset() throws IOException {
        // a page capped at 64 KiB: 139 of the 200 rows asked for
        fetch.sessionsPage(snapshot, answer(sessionsPage(true, 139, "done", "done")));

        assertTrue(snapshot.isMoreSessions());
        assertEquals(Map.of("tool", "sessions_list", "args", Map.of("limit", 200, "offset", 139)),
                Json.parseObject(fetch.sessionsRequest(snapshot)));
    }

    @Test
    void thePageWithoutMoreIsTheLast() throws IOException {
        fetch.sessionsPage(snapshot, answer(sessionsPage(true, 2, "done", "done")));
        fetch.sessionsPage(snapshot, answer(sessionsPage(false, null, "done")));

        assertFalse(snapshot.isMoreSessions());
        assertEquals(3, snapshot.getSessionCount());
    }

    @Test
    void theFirstRequestAsksFromOffsetZero() throws IOException {
        assertEquals(Map.of("tool", "sessions_list", "args", Map.of("limit", 200, "offset", 0)),
                Json.parseObject(fetch.sessionsRequest(snapshot)));
    }

    /** The message of the IOException {@code call} must throw. */
    private static String failure(Executable call) {
        return assertThrows(IOException.class, call).getMessage();
    }

    @Test
    void anAnswerWithoutOkIsAnErrorWithTheGatewaysMessage() {
        // gateway-level refusals (401) have no ok field
        String message = failure(() -> fetch.agents(snapshot,
                "{\"error\":{\"message\":\"Unauthorized\",\"type\":\"unauthorized\"}}"));

        assertTrue(message.contains("without ok") && message.contains("Unauthorized"), message);
    }

    @Test
    void aToolErrorIsAnErrorWithTheToolsMessage() {
        String message = failure(() -> fetch.agents(snapshot,
                "{\"ok\":false,\"error\":{\"type\":\"not_found\",\"message\":\"Tool not available: agents_list\"}}"));

        assertTrue(message.contains("without ok") && message.contains("Tool not available: agents_list"), message);
    }

    @Test
    void anAnswerWithoutDetailsIsAnErrorNamingThem() {
        String message = failure(() -> fetch.sessionsPage(snapshot,
                "{\"ok\":true,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"{}\"}]}}"));

        assertTrue(message.contains("result.details"), message);
    }

    @Test
    void anAnswerWithoutResultIsAnErrorNamingTheDetails() {
        String message = failure(() -> fetch.sessionsPage(snapshot, "{\"ok\":true}"));

        assertTrue(message.contains("result.details"), message);
    }

    @Test
    void aFailedAnswerLeavesTheSnapshotAsItWas() {
        assertThrows(IOException.class, () -> fetch.sessionsPage(snapshot, "{\"ok\":true}"));

        assertEquals(0, snapshot.getSessionCount());
        assertTrue(snapshot.isMoreSessions());
    }
}
