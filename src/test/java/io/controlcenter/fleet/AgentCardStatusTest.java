package io.controlcenter.fleet;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The status an agent card shows, from the gateway's state, the agent's runs and whether it is gone. */
class AgentCardStatusTest {

    private static final List<String> NOT_REACHABLE =
            Arrays.asList("disconnected", "reconnecting", "failed", "pairing", null);

    @Test
    void anAgentWithARunInProgressOnAReachableGatewayIsWorking() {
        assertEquals("working", AgentCards.status("connected", false, 1, null));
        assertEquals("working", AgentCards.status("polling", false, 2, null));
    }

    @Test
    void aNewRunShowsWorkingEvenAfterAFailedOne() {
        assertEquals("working", AgentCards.status("connected", false, 1, "error"));
    }

    @Test
    void anAgentWhoseLastRunFailedShowsError() {
        assertEquals("error", AgentCards.status("connected", false, 0, "error"));
        assertEquals("error", AgentCards.status("polling", false, 0, "error"));
    }

    @Test
    void anAgentWithoutARunInProgressIsIdle() {
        assertEquals("idle", AgentCards.status("connected", false, 0, null));
        assertEquals("idle", AgentCards.status("connected", false, 0, "final"));
        assertEquals("idle", AgentCards.status("polling", false, 0, "aborted"));
    }

    @Test
    void everyAgentIsOfflineWhileTheGatewayIsNeitherConnectedNorPolled() {
        for (String gatewayState : NOT_REACHABLE) {
            assertEquals("offline", AgentCards.status(gatewayState, false, 0, null), gatewayState);
            assertEquals("offline", AgentCards.status(gatewayState, false, 3, null), "runs: " + gatewayState);
            assertEquals("offline", AgentCards.status(gatewayState, false, 0, "error"), "failed: " + gatewayState);
        }
    }

    @Test
    void aGoneAgentIsGoneWhateverElse() {
        assertEquals("gone", AgentCards.status("connected", true, 0, null));
        assertEquals("gone", AgentCards.status("connected", true, 2, "error"));
        assertEquals("gone", AgentCards.status("polling", true, 0, "error"));
        for (String gatewayState : NOT_REACHABLE) {
            assertEquals("gone", AgentCards.status(gatewayState, true, 1, null), gatewayState);
        }
    }
}
