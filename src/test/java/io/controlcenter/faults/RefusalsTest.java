package io.controlcenter.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.FaultFigures;
import io.controlcenter.support.FaultTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway refuses Control Center (its own process): a wrong token, a protocol it does not speak, a device not
 * approved yet, a foreign origin, a grant without operator.read. Each is tried exactly once (pairing: once per
 * {@code gateway.pairing.retry-interval}, with one pairing request), readiness is DOWN with the gateway's code, and the
 * token is nowhere in the log, the API, the health and metrics answers or the MBeans (read over Jolokia).
 */
class RefusalsTest extends FaultTestSupport {

    /** What the gateway does, and the code Control Center must report. */
    enum Refusal {
        WRONG_TOKEN("AUTH_TOKEN_MISMATCH"), PROTOCOL_MISMATCH("PROTOCOL_MISMATCH"), PAIRING_REQUIRED("PAIRING_REQUIRED"),
        ORIGIN_REFUSED("CONTROL_UI_ORIGIN_NOT_ALLOWED"), SCOPES_MISSING("MISSING_SCOPES");

        final String code;

        Refusal(String code) {
            this.code = code;
        }
    }

    private static final String GATEWAY_SIDE_TOKEN = "the-gateways-own-token-31337";
    private static final long PAIRING_RETRY_MS = 500;
    /** Longer than the largest reconnect delay of the test (1.6 s): a retry would have come within it. */
    private static final Duration NO_RETRY_WINDOW = Duration.ofSeconds(4);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Refusal.class)
    void aRefusalIsTriedOnceReportedWithItsCodeAndTheTokenIsNowhere(Refusal refusal) throws Exception {
        refuse(refusal);
        long started = System.nanoTime();
        launchApp(Map.of(), "gateway.pairing.retry-interval=" + PAIRING_RETRY_MS);
        awaitApp("readiness DOWN with " + refusal.code, Duration.ofSeconds(60),
                () -> status("/observe/health/ready") == 503 && get("/observe/health/ready").contains(refusal.code));
        long downAfterMs = (System.nanoTime() - started) / 1_000_000;
        Map<String, Object> status = gatewayStatus();
        assertEquals(refusal.code, status.get("errorCode"), String.valueOf(status));

        FaultFigures figures = new FaultFigures("refusal: " + refusal.name().toLowerCase(java.util.Locale.ROOT))
                .put("code", refusal.code).put("state", status.get("state")).put("readinessDownAfterStartMs", downAfterMs);
        if (refusal == Refusal.PAIRING_REQUIRED) {
            // the pairing cadence: one attempt per retry interval, and one pairing request for all of them
            int from = gateway.connections.size();
            long t0 = System.nanoTime();
            awaitApp("6 more pairing attempts", Duration.ofSeconds(15), () -> gateway.connections.size() >= from + 6);
            long cadenceMs = (System.nanoTime() - t0) / 1_000_000 / 6;
            figures.put("attemptEveryMs", cadenceMs).put("pairingRequests", gateway.devices.pending().size());
            assertTrue(cadenceMs >= PAIRING_RETRY_MS - 50 && cadenceMs < 2 * PAIRING_RETRY_MS, "every " + cadenceMs + " ms");
            assertEquals(1, gateway.devices.pending().size(), "one pairing request");
            assertEquals("pairing", status.get("state"));
        } else {
            boolean retried = secondAttemptWithin(NO_RETRY_WINDOW);
            figures.put("attempts", gateway.connections.size());
            assertFalse(retried, "no second attempt after " + refusal);
            assertEquals(1, gateway.connections.size(), "one attempt");
            assertEquals("failed", status.get("state"));
        }
        List<String> answers = List.of(app.output(), get("/api/gateway"), get("/api/gateways"), get("/observe/health"),
                get("/observe/health/ready"), get("/observe/metrics"),
                get("/observe/jolokia/read/*:*?ignoreErrors=true&maxDepth=6"));
        int characters = answers.stream().mapToInt(String::length).sum();
        figures.put("charactersSearchedForTheToken", characters).put("peakRssMb", peakRssMb()).report();
        assertTrue(answers.get(answers.size() - 1).contains("GatewayClient"), "the MBeans were read");
        for (String answer : answers) {
            assertFalse(answer.contains(FakeGateway.TOKEN), "Control Center's token shows in " + head(answer));
            assertFalse(answer.contains(GATEWAY_SIDE_TOKEN), "the gateway's token shows in " + head(answer));
        }
    }

    private void refuse(Refusal refusal) {
        switch (refusal) {
            case WRONG_TOKEN -> gateway.token = GATEWAY_SIDE_TOKEN;
            case PROTOCOL_MISMATCH -> gateway.protocol = 5;
            case PAIRING_REQUIRED -> gateway.devices.remote = true;
            case SCOPES_MISSING -> gateway.devices.grantOverride = List.of();
            case ORIGIN_REFUSED -> gateway.onConnect = (conn, req) -> { // as captured (frames 52, foreign origin)
                String message = "origin not allowed (open the Control UI from the gateway host or allow it in"
                        + " gateway.controlUi.allowedOrigins)";
                conn.respondError(req.get("id"), Map.of("code", "INVALID_REQUEST", "message", message,
                        "details", Map.of("code", "CONTROL_UI_ORIGIN_NOT_ALLOWED", "reason", "origin not allowed")));
                conn.close(1008, message);
            };
            default -> throw new IllegalArgumentException(refusal.name());
        }
    }

    /** Waits up to {@code window} for a second connection attempt; false when none came. */
    private boolean secondAttemptWithin(Duration window) {
        try {
            ControlCenterApp.await("a second attempt", window, () -> gateway.connections.size() > 1);
            return true;
        } catch (AssertionError none) {
            return false;
        }
    }

    private static String head(String s) {
        return s.substring(0, Math.min(200, s.length()));
    }
}
