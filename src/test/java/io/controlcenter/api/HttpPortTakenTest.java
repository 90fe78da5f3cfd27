package io.controlcenter.api;

import java.net.InetAddress;
import java.net.ServerSocket;

import io.controlcenter.config.StartException;
import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An HTTP port another program holds stops the start with one message naming the port and what to do. Camel only logs
 * that it could not listen and starts anyway: Control Center looked started and served nothing, or a second Control
 * Center configured on the first one's port let the first one answer for it.
 */
class HttpPortTakenTest extends GatewayTestSupport {

    @Test
    void aPortAnotherProgramListensOnStopsTheStart() throws Exception {
        try (ServerSocket other = new ServerSocket(ControlCenterApp.freePort(), 50, InetAddress.getLoopbackAddress())) {
            StartException refused = refusal(other.getLocalPort());
            assertEquals("HTTP: 127.0.0.1:" + other.getLocalPort() + " is in use by another program, so Control Center "
                    + "cannot serve its API, dashboard and health there: stop that program, or set CC_PORT "
                    + "(camel.server.port) to a free port", refused.getMessage());
        }
    }

    @Test
    void aSecondInstanceOnTheFirstOnesPortDoesNotStartAndTheFirstServesOn() {
        start();
        awaitConnected();
        int port = Integer.parseInt(app.context().resolvePropertyPlaceholders("{{camel.server.port}}"));

        assertNotNull(refusal(port));

        assertEquals("connected", app.gatewayStatus().get("state"));
        assertEquals(1, gateway.connections.size(), "the refused instance never connected to the gateway");
    }

    private StartException refusal(int port) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ControlCenterApp.start(gateway, "camel.server.port", String.valueOf(port)).close());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StartException refused) {
                return refused;
            }
        }
        throw new AssertionError("the start failed, but not with a StartException", e);
    }
}
