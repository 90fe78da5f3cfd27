package io.controlcenter.fallback;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.GatewayTestSupport;
import io.controlcenter.support.LogCapture;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failing HTTP side opens the breaker, which stops the calls; a half-open probe closes it again. The log says so in a
 * few lines: one WARN when polling starts failing, the breaker's transitions, one INFO when it works again; no ERROR
 * and no stack trace per failed poll.
 */
class PollingCircuitBreakerTest extends GatewayTestSupport {

    @SuppressWarnings("unchecked")
    private Map<String, Object> polling() {
        return (Map<String, Object>) app.gatewayStatus().get("polling");
    }

    @Test
    void theBreakerOpensOnFailuresAndAHalfOpenProbeClosesIt() throws Exception {
        try (LogCapture log = new LogCapture()) {
            breakerOpensAndCloses();
            String text = log.text();
            List<String> lines = text.lines().filter(l -> l.contains("HTTP poll")).toList();
            assertEquals(1, lines.stream().filter(l -> l.contains("WARN") && l.contains("HTTP poll failed")
                    && l.contains("statusCode: 500")).count(), String.join("\n", lines));
            assertEquals(1, lines.stream().filter(l -> l.contains("INFO") && l.contains("succeeded again")).count(),
                    String.join("\n", lines));
            assertTrue(text.lines().noneMatch(l -> l.contains(" ERROR ") || l.startsWith("\tat ")),
                    "no ERROR, no stack trace: " + text);
        }
    }

    private void breakerOpensAndCloses() throws Exception {
        new FakeFleet().agents(2).sessions(4, System.currentTimeMillis()).install(gateway);
        gateway.httpFailure = 500;
        start("gateway.ws-url", "ws://127.0.0.1:" + ControlCenterApp.freePort() + "/",
                "gateway.http-url", "http://127.0.0.1:" + gateway.port(),
                "fallback.startup-wait", "200", "fallback.interval", "200", "fallback.breaker.open-duration", "2");

        await("breaker open", Duration.ofSeconds(10), () -> "OPEN".equals(polling().get("breaker")));
        int calls = gateway.toolCalls.size();
        long polls = ((Number) polling().get("polls")).longValue();
        Thread.sleep(1000);
        assertEquals(calls, gateway.toolCalls.size(), "an open breaker makes no calls");
        assertTrue(((Number) polling().get("polls")).longValue() > polls, "polls go on, refused by the breaker");
        assertEquals("none", app.gatewayStatus().get("path"));

        gateway.httpFailure = 0; // the gateway recovers
        await("closed again", Duration.ofSeconds(10), () -> "CLOSED".equals(polling().get("breaker")));
        await("data", Duration.ofSeconds(5), () -> app.get("/api/agents").body().contains("agent-1"));
        assertEquals("polling", app.gatewayStatus().get("path"));
        assertTrue(((Number) polling().get("breakerTransitions")).longValue() >= 2);
        assertTrue(((Number) polling().get("failures")).longValue() >= 2);
        assertTrue(app.get("/observe/health/ready").statusCode() == 200);
    }
}
