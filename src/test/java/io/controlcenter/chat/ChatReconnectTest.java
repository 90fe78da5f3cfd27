package io.controlcenter.chat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.GatewayState;
import io.controlcenter.support.FakeChat;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs in flight when the socket drops are settled from the session's history after the reconnect. */
class ChatReconnectTest extends ChatTestSupport {

    @Test
    void aRunThatEndedWhileDisconnectedIsRecordedFromTheHistory() {
        startChat();
        SseStream s = chatStream(SESSION);
        sendOk(SESSION, "long task", "away");
        sendOk(SESSION, "still going", "going");
        chat.run("away").status("starting_model").delta("Partial");
        chat.run("going").delta("a");
        awaitState(s, "away", "delta");
        awaitState(s, "going", "delta");

        gateway.acceptWebSockets = false;
        gateway.last().close(1012, "service restart");
        await("disconnected", Duration.ofSeconds(5), () -> app.client().getGatewayState() != GatewayState.CONNECTED);
        chat.run("away").finishUnseen("Finished while you were away.");

        // a send while the gateway is unreachable fails at once, and is recorded as such
        HttpResponse<String> down = send(SESSION, "are you there?", "while-down");
        assertEquals(503, down.statusCode(), down.body());
        assertEquals("NOT_CONNECTED", json(down.body()).get("code"));
        assertEquals("send_failed", run("while-down").get("state"));

        gateway.acceptWebSockets = true;
        awaitConnection(2);
        awaitState(s, "away", "final");
        Map<String, Object> settled = chats(s, "away").get(chats(s, "away").size() - 1);
        assertEquals("reconcile", settled.get("source"));
        assertEquals("Finished while you were away.", settled.get("text"));
        assertEquals(false, settled.get("proactive"));
        Map<String, Object> stored = run("away");
        assertEquals("final", stored.get("state"));
        assertEquals("Finished while you were away.", stored.get("text"));

        // the run still running on the gateway is left to its live events
        FakeChat.Run going = chat.run("going").delta("b");
        going.finish("ab");
        awaitState(s, "going", "final");
        assertEquals(List.of("delta", "delta", "final"), field(chats(s, "going"), "state"));
        assertEquals("ab", run("going").get("text"));
        assertEquals("send_failed", run("while-down").get("state"), "a send the gateway never got is not reconciled");
        assertEquals(0, chats(s, "while-down").size());

        // the failed send can be retried with its key, and then it goes out
        String retried = sendOk(SESSION, "are you there?", "while-down");
        assertEquals("while-down", retried);
        assertEquals(1, chat.sends.stream().filter(p -> "while-down".equals(p.get("idempotencyKey"))).count());
        chat.run("while-down").finish("Yes.");
        awaitState(s, "while-down", "final");
        assertEquals(false, chats(s, "while-down").get(0).get("proactive"));
    }
}
