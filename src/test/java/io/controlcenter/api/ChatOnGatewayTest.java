package io.controlcenter.api;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;
import io.controlcenter.support.FakeChat;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Chat on /api/gateways/{name}/sessions/{key}/... reaches that gateway's session only, and its run is that gateway's
 * (/api/gateways/{name}/runs/{runId}); the paths without a gateway stay the default gateway's.
 */
class ChatOnGatewayTest extends TwoGatewaysTestSupport {

    private static final String LAB = "/api/gateways/lab/sessions/" + SESSION;
    private static final String DEFAULT = "/api/sessions/" + SESSION;
    private final FakeChat defaultChat = new FakeChat(gateway);
    private final FakeChat labChat = new FakeChat(lab);

    @Test
    void aSendOnLabsPathReachesLabOnly() {
        startBoth();
        SseStream stream = sse("/api/events?session=" + SESSION);

        HttpResponse<String> sent = app.post(LAB + "/messages", Json.write(Map.of("message", "hello lab", "idempotencyKey", "run-lab")));
        assertEquals(202, sent.statusCode(), sent.body());
        assertEquals(Map.of("runId", "run-lab", "sessionKey", SESSION, "status", "started"), json(sent.body()));
        assertEquals(List.of(Map.of("sessionKey", SESSION, "message", "hello lab", "idempotencyKey", "run-lab")), labChat.sends);
        assertEquals(List.of(), defaultChat.sends);

        labChat.run("run-lab").delta("Hi").finish("Hi there");
        await("lab's run final", Duration.ofSeconds(10),
                () -> "final".equals(object("/api/gateways/lab/runs/run-lab").get("state")));
        Map<String, Object> run = object("/api/gateways/lab/runs/run-lab");
        assertEquals(List.of("lab", "Hi there", "control-center"), List.of(run.get("gateway"), run.get("text"), run.get("startedBy")));
        assertEquals(404, app.get("/api/runs/run-lab").statusCode(), "the default gateway has no such run");
        await("final pushed", Duration.ofSeconds(5), () -> events(stream, "chat").stream().anyMatch(c -> "final".equals(c.get("state"))));
        assertEquals(List.of("lab"), events(stream, "chat").stream().map(c -> c.get("gateway")).distinct().toList());

        // history, inject and abort: lab's session, not the default gateway's session of the same key
        assertEquals(List.of("hello lab", "Hi there"), texts(LAB + "/history"));
        assertEquals(List.of(), texts(DEFAULT + "/history"));
        HttpResponse<String> injected = app.post(LAB + "/inject", Json.write(Map.of("message", "note for lab")));
        assertEquals(200, injected.statusCode(), injected.body());
        assertEquals(List.of("hello lab", "Hi there", "note for lab"), texts(LAB + "/history"));
        assertEquals(List.of(), texts(DEFAULT + "/history"));
        app.post(LAB + "/messages", Json.write(Map.of("message", "a long one", "idempotencyKey", "run-lab-2")));
        assertEquals(false, json(app.post(DEFAULT + "/abort", "{}").body()).get("aborted"));
        HttpResponse<String> aborted = app.post(LAB + "/abort", "{}");
        assertEquals(200, aborted.statusCode(), aborted.body());
        assertEquals(List.of("run-lab-2"), json(aborted.body()).get("runIds"));

        // the path without a gateway: the default gateway's session
        assertEquals(202, app.post(DEFAULT + "/messages", Json.write(Map.of("message", "hello default"))).statusCode());
        assertEquals(List.of("hello default"), defaultChat.sends.stream().map(s -> s.get("message")).toList());
        assertEquals(2, labChat.sends.size());
        assertEquals(List.of("default", "lab", "lab"),
                app.query("SELECT gateway FROM chat_runs WHERE kind = 'send' ORDER BY gateway").stream().map(r -> r.get("gateway")).toList());
    }

    @SuppressWarnings("unchecked")
    private List<Object> texts(String historyPath) {
        return ((List<Map<String, Object>>) object(historyPath).get("messages")).stream().map(m -> m.get("text")).toList();
    }
}
