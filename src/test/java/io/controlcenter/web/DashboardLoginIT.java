package io.controlcenter.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.controlcenter.support.Browser;
import io.controlcenter.support.GatewayTestSupport;
import io.controlcenter.support.LogCapture;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With CC_API_TOKEN set, the dashboard asks for the token once and exchanges it for an HttpOnly, SameSite=Strict session
 * cookie, which the API (the event stream too) accepts and nothing else needs; the token is nowhere in the page's URL,
 * storage or markup, nor in the log; logging out clears the cookie and the server refuses it from then on. In headless
 * Chromium against the in-process gateway.
 */
@Tag("browser")
class DashboardLoginIT extends GatewayTestSupport {

    private static final String TOKEN = "dashboard-token-" + UUID.randomUUID();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theTokenIsExchangedForAnHttpOnlyCookieThatTheApiAcceptsAndLogoutEnds() throws Exception {
        try (LogCapture log = new LogCapture(); Browser browser = Browser.start()) {
            start("api.token", TOKEN);
            awaitConnected();
            Dashboard page = new Dashboard(browser, app.port()).open("#/");
            awaitLogin(browser);
            browser.screenshot("login");

            login(browser, "not-the-token");
            browser.await("the refusal", Dashboard.WAIT, d -> browser.text("#login-error").contains("not the API token"));
            login(browser, TOKEN);
            browser.await("the fleet, live", Dashboard.WAIT, d -> !isLoginOpen(browser) && "live".equals(page.connection())
                    && "connected".equals(page.gatewayState("default")));
            assertFalse(browser.driver.findElement(By.id("logout")).getAttribute("hidden") != null, "a way to log out");

            Map<String, Object> cookie = sessionCookie(browser);
            assertEquals(true, cookie.get("httpOnly"), "the page's scripts cannot read it: " + cookie);
            assertEquals("Strict", cookie.get("sameSite"));
            assertEquals("/api", cookie.get("path"));
            assertEquals("", browser.js("return document.cookie"));
            String stored = (String) browser.js("return location.href + JSON.stringify({...localStorage}) "
                    + "+ JSON.stringify({...sessionStorage}) + document.documentElement.outerHTML");
            assertFalse(stored.contains(TOKEN), "the token is nowhere in the page's URL, storage or markup");
            assertFalse(browser.driver.getCurrentUrl().contains("token"), browser.driver.getCurrentUrl());

            String session = "cc_session=" + cookie.get("value");
            assertEquals(401, get("/api/agents", null).statusCode(), "without the cookie");
            assertEquals(200, get("/api/agents", session).statusCode(), "with the cookie");
            assertEquals(401, get("/observe/metrics", session).statusCode(), "the cookie is the API's only");
            try (SseStream events = SseStream.open(app.port(), "/api/events", "Cookie", session)) {
                assertEquals(200, events.response.statusCode(), "the event stream takes it too");
            }

            browser.driver.findElement(By.id("logout")).click();
            awaitLogin(browser);
            assertNull(sessionCookie(browser), "cleared in the browser");
            assertEquals(401, get("/api/agents", session).statusCode(), "and refused from now on");
            assertFalse(log.text().contains(TOKEN), "the token is not in the log");
        }
    }

    /** The session cookie as the browser keeps it (it is under /api, so not among the page's own cookies), or null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> sessionCookie(Browser browser) {
        List<Map<String, Object>> all = (List<Map<String, Object>>) browser.driver
                .executeCdpCommand("Network.getAllCookies", Map.of()).get("cookies");
        return all.stream().filter(c -> "cc_session".equals(c.get("name"))).findFirst().orElse(null);
    }

    private static void awaitLogin(Browser browser) {
        browser.await("the login form", Dashboard.WAIT, d -> isLoginOpen(browser));
    }

    private static boolean isLoginOpen(Browser browser) {
        return Boolean.TRUE.equals(browser.js("return document.getElementById('login').open"));
    }

    private static void login(Browser browser, String token) {
        var input = browser.driver.findElement(By.id("login-token"));
        input.clear();
        input.sendKeys(token);
        browser.driver.findElement(By.id("login-submit")).click();
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
