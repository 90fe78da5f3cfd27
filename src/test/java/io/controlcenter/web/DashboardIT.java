package io.controlcenter.web;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.GatewayState;
import io.controlcenter.gateway.OpenClawComponent;
import io.controlcenter.support.Browser;
import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.RealGateway;
import io.controlcenter.support.RealGatewayTestSupport;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in headless Chromium against two real gateways with the mock model ({@code gateways=default,lab}):
 * both gateways connected with their own three agents; an agent created on a gateway shows up without a reload within
 * 2 s; an agent named like markup is shown as that text and runs nothing; a chat streams the mock's reply and ends with
 * its final text, once; abort stops a run; the agent, attention and activity views show their data; and with
 * Control Center restarted while the page is open, the page says "reconnecting", then shows the agent created meanwhile,
 * once. One browser and the two gateways for the whole class; screenshots of each view in target/screenshots.
 */
@Tag("real-gateway")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT extends RealGatewayTestSupport {

    /** Each gateway's agents as the page lists them: the default one first, then by id. */
    private static final List<String> AGENTS = List.of("main", "ops", "research");
    private static final String MOCK_REPLY = "Hello from the mock model.";
    private static final String MARKUP = "<img src=x onerror=alert(1)>";
    private static RealGateway lab;
    private static String database;
    private static int port;
    private static Browser browser;
    private static Dashboard page;

    @BeforeAll
    static void start() {
        startTwoWithMockModel(second -> lab = second);
        database = TestDatabase.create();
        port = ControlCenterApp.freePort();
        app = startDashboardApp();
        browser = Browser.start();
        page = new Dashboard(browser, port);
    }

    /** Control Center on {@link #port} and {@link #database}, both kept across a restart. */
    private static ControlCenterApp startDashboardApp() {
        ControlCenterApp started = startApp("camel.server.port", String.valueOf(port), "db.url", TestDatabase.url(database),
                "db.user", TestDatabase.USER, "db.password", TestDatabase.PASSWORD, "gateways", "default,lab",
                "gateway.lab.ws-url", lab.url(), "gateway.lab.token", lab.token());
        await("both connected", Duration.ofSeconds(30), () -> List.of("default", "lab").stream().allMatch(g ->
                started.context().getComponent("openclaw", OpenClawComponent.class).client(g).getGatewayState()
                        == GatewayState.CONNECTED));
        return started;
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
            stopAppAndGateway();
        } finally {
            if (lab != null) {
                lab.close();
            }
            TestDatabase.drop(database);
        }
    }

    @Test
    @Order(1)
    void theFleetShowsBothGatewaysConnectedEachWithItsThreeAgents() {
        page.open("#/").awaitLive();
        browser.await("both gateways connected with three agents each", Dashboard.WAIT, d ->
                "connected".equals(page.gatewayState("default")) && "connected".equals(page.gatewayState("lab"))
                        && page.agents("default").equals(AGENTS) && page.agents("lab").equals(AGENTS));
        browser.screenshot("fleet");
        browser.size(390, 844);
        browser.screenshot("fleet-phone");
        assertEquals(true, browser.js("return document.documentElement.scrollWidth <= window.innerWidth"),
                "nothing wider than a phone's screen (no sideways scrolling)");
        String cardFocused = "return document.activeElement.matches('a.card')";
        for (int tabs = 0; tabs < 40 && !Boolean.TRUE.equals(browser.js(cardFocused)); tabs++) {
            browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertEquals(true, browser.js(cardFocused), "an agent card reachable with Tab");
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.await("an agent opened from the keyboard", Dashboard.WAIT,
                d -> String.valueOf(browser.js("return location.hash")).startsWith("#/agent/"));
        browser.size(1280, 800);

        HttpResponse<String> index = app.get("/");
        assertEquals(200, index.statusCode());
        String csp = index.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("default-src 'none'"), csp);
        assertTrue(app.get("/ui/app.js").headers().firstValue("Content-Type").orElse("").contains("javascript"));
        assertNoErrors();
    }

    @Test
    @Order(2)
    void anAgentCreatedOnTheGatewayAppearsWithoutReloadWithin2Seconds() {
        page.open("#/").awaitLive();
        browser.js("window.__samePage = true");
        long start = System.nanoTime();
        String id = (String) ((Map<?, ?>) app.call("agents.create", Map.of("name", "dash-qa"))).get("agentId");
        page.awaitCard("default", id, Duration.ofSeconds(2));
        System.out.printf("agents.create to its card on the page: %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertEquals(Boolean.TRUE, browser.js("return window.__samePage === true"), "the page was not reloaded");
        assertEquals(List.of(), page.cards("lab", id), "not on the other gateway");
    }

    @Test
    @Order(3)
    void anAgentNamedLikeMarkupIsShownAsThatTextAndRunsNoScript() {
        page.open("#/").awaitLive();
        browser.js("window.__alerted = false; window.alert = () => { window.__alerted = true; };");
        String id = (String) ((Map<?, ?>) app.call("agents.create", Map.of("name", MARKUP))).get("agentId");
        WebElement card = page.awaitCard("default", id, Dashboard.WAIT);
        assertEquals(MARKUP, Dashboard.name(card));
        assertEquals(0L, browser.js("return document.querySelectorAll('#agents img, #agents [onerror]').length"));
        page.go("#/agent/default/" + id);
        browser.await("its agent view", Dashboard.WAIT, d -> MARKUP.equals(browser.text(".headline h1")));
        browser.screenshot("agent-named-like-markup");
        assertEquals(Boolean.FALSE, browser.js("return window.__alerted"));
        assertNoErrors();
    }

    @Test
    @Order(4)
    void aChatStreamsTheMockReplyOnceAndAbortStopsARun() {
        page.open("#/session/default/agent%3Amain%3Adashboard").awaitLive();
        browser.js("""
                window.__texts = [];
                new MutationObserver(() => {
                  const t = [...document.querySelectorAll('.msg.assistant .text')].map((e) => e.textContent).join('|');
                  if (window.__texts[window.__texts.length - 1] !== t) window.__texts.push(t);
                }).observe(document.getElementById('chat'), {subtree: true, childList: true, characterData: true});""");
        page.send("hello from the dashboard");
        browser.await("the final reply", Duration.ofSeconds(60), d -> {
            WebElement last = page.lastReply();
            return MOCK_REPLY.equals(last.getText().split("\n")[0]) && !Dashboard.has(last, "streaming");
        });
        assertEquals(List.of(MOCK_REPLY), page.replies(), "one reply, with the final text");
        @SuppressWarnings("unchecked")
        List<String> seen = (List<String>) browser.js("return window.__texts");
        assertTrue(seen.stream().anyMatch(t -> !t.isEmpty() && MOCK_REPLY.startsWith(t) && !MOCK_REPLY.equals(t)),
                "the reply streamed in (a part of it was shown before the whole): " + seen);
        browser.screenshot("session");

        page.send("ABORTME please stream slowly");
        browser.await("the slow reply streaming", Duration.ofSeconds(60), d -> page.lastReply().getText().contains("word1"));
        browser.driver.findElement(org.openqa.selenium.By.id("abort")).click();
        WebElement aborted = browser.await("the run aborted", Duration.ofSeconds(30),
                d -> Dashboard.has(page.lastReply(), "aborted") ? page.lastReply() : null);
        assertFalse(aborted.getText().contains("word39"), "stopped before the end: " + aborted.getText());
        String runId = aborted.getAttribute("data-id").replace(":assistant", "");
        assertTrue(app.get("/api/runs/" + runId).body().contains("\"state\":\"aborted\""));
        assertEquals(2, page.replies().size(), "each run is one bubble: " + page.replies());
    }

    @Test
    @Order(5)
    void theAgentAttentionAndActivityViewsShowTheirData() {
        page.open("#/agent/default/main").awaitLive();
        browser.await("the session in the agent's list", Dashboard.WAIT,
                d -> browser.all("tr[data-session='agent:main:dashboard']").size() == 1);
        browser.await("its runs on the timeline", Dashboard.WAIT, d -> browser.all("rect.run").size() >= 2);
        browser.screenshot("agent");
        page.go("#/attention");
        browser.await("nothing needs attention", Dashboard.WAIT, d -> browser.text("main").contains("All is well"));
        browser.screenshot("attention");
        page.go("#/activity");
        browser.await("events per second of both gateways", Dashboard.WAIT,
                d -> browser.all("#events-chart path").size() == 2 && browser.text("#events-chart .legend").contains("lab"));
        browser.screenshot("activity");
        assertNoErrors();
    }

    @Test
    @Order(6)
    void controlCenterRestartedWhileThePageIsOpenReconnectsAndShowsWhatHappenedMeanwhileOnce() {
        page.open("#/").awaitLive();
        page.awaitCard("default", "main", Dashboard.WAIT);
        app.close();
        browser.await("reconnecting", Dashboard.WAIT, d -> page.connection().startsWith("reconnecting"));
        assertEquals(1, page.cards("default", "main").size(), "the fleet stays on the page, not an empty one");
        assertTrue(browser.text(".banner").startsWith("Not live"), "and the page says it is not live: " + browser.text(".banner"));
        browser.screenshot("reconnecting");

        String created = gateway.cli("gateway", "call", "agents.create", "--params", "{\"name\":\"while-away\"}", "--json");
        assertTrue(created.contains("while-away"), created);
        app = startDashboardApp();
        page.awaitLive();
        page.awaitCard("default", "while-away", Dashboard.WAIT);
        browser.screenshot("reconnected");
        assertEquals(1, page.cards("default", "while-away").size(), "shown once");
        int listed = app.get("/api/agents").body().split("\"id\"").length - 1;
        assertEquals(listed, browser.all("a.card").size(), "every agent once");
        // while Control Center was down or starting, requests failed (the page said so: "reconnecting")
        assertNoErrorsBut("Failed to load resource");
    }

    /** No error in the page's console since the last look: no exception, nothing the Content-Security-Policy refused. */
    private static void assertNoErrors() {
        assertNoErrorsBut("(none)");
    }

    /** As {@link #assertNoErrors()}, but for lines that contain {@code expected}. */
    private static void assertNoErrorsBut(String expected) {
        assertEquals(List.of(), browser.console().stream().filter(l -> l.contains("SEVERE") && !l.contains(expected)).toList());
    }
}
