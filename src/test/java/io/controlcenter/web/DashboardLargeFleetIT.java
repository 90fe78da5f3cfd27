package io.controlcenter.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.support.Browser;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large fleet in the browser: 1,000 agents and 50,000 sessions (the in-process gateway). The fleet view has its cards
 * on the page within 1 s of the fleet's arrival (measured in the page: the fleet.update message to its cards laid out),
 * a page of 120 at a time; a card changes in place (the same element) when its agent starts a run; an agent's
 * sessions come 50 at a time.
 */
@Tag("browser")
class DashboardLargeFleetIT extends FleetTestSupport {

    private static final int AGENTS = 1_000;
    private static final int SESSIONS = 50_000;

    @Test
    void aThousandAgentsRenderWithinASecondAndChangeInPlace() {
        fleet.agents(AGENTS).sessions(SESSIONS, System.currentTimeMillis());
        long t0 = System.nanoTime();
        startSynced(AGENTS);
        await("the sessions stored", Duration.ofSeconds(120), () -> count("SELECT count(*) FROM sessions") == SESSIONS);
        System.out.printf("synced %d agents and %d sessions in %d ms%n", AGENTS, SESSIONS, (System.nanoTime() - t0) / 1_000_000);

        try (Browser browser = Browser.start()) {
            Dashboard page = new Dashboard(browser, app.port()).open("#/");
            browser.await("every agent", Duration.ofSeconds(30), d -> browser.text(".toolbar [role=status]")
                    .equals(AGENTS + " of " + AGENTS + " agents"));
            double renderMs = ((Number) browser.js(
                    "return Math.max(...performance.getEntriesByName('cc:fleet-render').map((e) => e.duration))")).doubleValue();
            System.out.printf("fleet.update of %d agents to their cards on the page: %.0f ms%n", AGENTS, renderMs);
            assertTrue(renderMs <= 1000, "rendered in " + renderMs + " ms");
            assertEquals(120, browser.all("a.card").size(), "a page of cards");
            assertEquals(9, browser.all(".pager button").size(), "and the pages of the others");
            browser.screenshot("fleet-1000-agents");

            // a run starts in one of agent-1's sessions: its card shows it, and is the same element as before
            browser.js("document.querySelector(\"a.card[data-agent='agent-1']\").ccMarker = 'before'");
            Map<String, Object> row = Fixtures.copy(fleet.sessions.get("agent:agent-1:s1"));
            row.put("hasActiveRun", true);
            row.put("activeRunIds", List.of("run-large-1"));
            row.put("status", "running");
            gateway.last().event("sessions.changed", FakeFleet.sessionsChanged(row, "patch", System.currentTimeMillis() + 1000));
            browser.await("agent-1 working", Dashboard.WAIT, d ->
                    "working".equals(browser.text("a.card[data-agent='agent-1'] .pill")));
            assertEquals("before", browser.js("return document.querySelector(\"a.card[data-agent='agent-1']\").ccMarker"),
                    "updated in place, not rendered again");

            page.go("#/agent/default/agent-1");
            browser.await("its 50 sessions, the running one first", Dashboard.WAIT, d ->
                    browser.text(".panel [role=status]").equals("1–50 of 50")
                            && "agent:agent-1:s1".equals(browser.attributes("tr[data-session]", "data-session").get(0)));
            double apiMs = ((Number) browser.js("return Math.max(...performance.getEntriesByType('resource')"
                    + ".filter((e) => e.name.includes('/api/dashboard/sessions')).map((e) => e.duration))")).doubleValue();
            System.out.printf("GET /api/dashboard/sessions of one agent among %d sessions: %.0f ms%n", SESSIONS, apiMs);
            browser.screenshot("agent-of-1000");
        }
    }
}
