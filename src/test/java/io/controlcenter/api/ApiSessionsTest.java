package io.controlcenter.api;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's session cookie: given for the token only; HttpOnly, SameSite=Strict, under /api; accepted until it
 * expires, not once altered, logged out, or signed with another token; without api.token, nothing to log in to.
 */
class ApiSessionsTest {

    private static final long HOUR = 3_600_000;
    private final Map<String, Long> clock = new HashMap<>(Map.of("now", 1_000_000L));

    private ApiSessions sessions(String token) {
        return new ApiSessions(token, HOUR) {
            @Override
            long now() {
                return clock.get("now");
            }
        };
    }

    private static Exchange request(String... headers) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            e.getMessage().setHeader(headers[i], headers[i + 1]);
        }
        return e;
    }

    @Test
    void theTokenGivesACookieTheApiAcceptsUntilItExpiresOrIsLoggedOut() {
        ApiSessions sessions = sessions("s3cret");
        assertThrows(UnauthorizedException.class, () -> sessions.login(Map.of("token", "wrong"), request()));
        assertThrows(IllegalArgumentException.class, () -> sessions.login(Map.of(), request()));

        Exchange login = request(Exchange.HTTP_URL, "http://127.0.0.1:8080/api/session");
        Map<String, Object> answer = sessions.login(Map.of("token", "s3cret"), login);
        assertEquals(true, answer.get("authenticated"));
        String setCookie = login.getMessage().getHeader("Set-Cookie", String.class);
        assertTrue(setCookie.endsWith("; Max-Age=3600; Path=/api; HttpOnly; SameSite=Strict"), setCookie);
        assertFalse(setCookie.contains("s3cret"));
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        assertTrue(sessions.accepts("/api/agents", null, "theme=dark; " + cookie));
        assertFalse(sessions.accepts("/observe/metrics", null, cookie), "the API's only");
        String altered = cookie.substring(0, cookie.length() - 1) + (cookie.endsWith("A") ? "B" : "A");
        assertFalse(sessions.accepts("/api/agents", null, altered), "altered");
        assertFalse(sessions("other").accepts("/api/agents", null, cookie), "signed with another token");
        assertTrue(sessions.accepts("/observe/metrics", "Bearer s3cret", null), "the token itself, anywhere");
        assertEquals(true, sessions.status(request("Cookie", cookie)).get("authenticated"));

        Exchange logout = request("Cookie", cookie);
        sessions.logout(logout);
        assertTrue(logout.getMessage().getHeader("Set-Cookie", String.class).startsWith("cc_session=; Max-Age=0; Path=/api"));
        assertFalse(sessions.accepts("/api/agents", null, cookie), "logged out");

        Exchange again = request();
        sessions.login(Map.of("token", "s3cret"), again);
        String second = again.getMessage().getHeader("Set-Cookie", String.class).split(";")[0];
        clock.put("now", clock.get("now") + HOUR - 1);
        assertTrue(sessions.accepts("/api/agents", null, second));
        clock.put("now", clock.get("now") + 1);
        assertFalse(sessions.accepts("/api/agents", null, second), "expired");
    }

    @Test
    void overHttpsTheCookieIsSecureAndWithoutATokenThereIsNothingToLogInTo() {
        Exchange behindProxy = request("X-Forwarded-Proto", "https");
        sessions("s3cret").login(Map.of("token", "s3cret"), behindProxy);
        assertTrue(behindProxy.getMessage().getHeader("Set-Cookie", String.class).endsWith("; Secure"));

        ApiSessions open = sessions("");
        assertEquals(Map.of("tokenRequired", false, "authenticated", true), withoutExpiry(open.status(request())));
        Exchange login = request();
        open.login(Map.of("token", "anything"), login);
        assertEquals(null, login.getMessage().getHeader("Set-Cookie"));
    }

    private static Map<String, Object> withoutExpiry(Map<String, Object> answer) {
        Map<String, Object> m = new HashMap<>(answer);
        m.remove("expiresAt");
        return m;
    }
}
