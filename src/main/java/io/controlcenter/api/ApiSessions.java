package io.controlcenter.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Exchange;

/**
 * Who may use the API when {@code api.token} is set: a request with the token ({@code Authorization: Bearer}, or Basic
 * with the token as password), or, under {@code /api/}, a dashboard's session cookie. The dashboard exchanges the token
 * once for the cookie ({@code POST /api/session}): HttpOnly (the page's scripts never see it), SameSite=Strict (no other
 * site's page sends it), valid for {@code api.session.max-age}. Its value is its expiry and a random nonce signed with
 * the token (HMAC-SHA256), so it holds nothing secret, survives a restart and ends when the token changes;
 * {@code DELETE /api/session} clears it and refuses that value until it would have expired. Bound as
 * {@code apiSessions} (routes/api-dashboard.yaml).
 */
public class ApiSessions {

    public static final String COOKIE = "cc_session";
    /** The login path: open without credentials (it checks the token itself). */
    public static final String PATH = "/api/session";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] token;
    private final long maxAgeMs;
    private final SecretKeySpec key;
    /** Cookie values logged out, with when they expire. */
    private final Map<String, Long> revoked = new ConcurrentHashMap<>();

    public ApiSessions(String token, long maxAgeMs) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.maxAgeMs = maxAgeMs;
        this.key = token.isEmpty() ? null : new SecretKeySpec(this.token, "HmacSHA256");
    }

    /** Whether the API asks for the token at all. */
    public boolean required() {
        return key != null;
    }

    /** Whether {@code presented} is the token (compared in constant time). */
    public boolean isToken(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a request with these headers may use {@code path}: the token, or a live session cookie under /api/. */
    public boolean accepts(String path, String authorization, String cookies) {
        return isToken(bearer(authorization)) || path.startsWith("/api/") && validCookie(cookie(cookies), now());
    }

    /** GET /api/session: whether a token is needed, and whether this request is authenticated. */
    public Map<String, Object> status(Exchange exchange) {
        return answer(!required() || accepts(PATH, header(exchange, "Authorization"), header(exchange, "Cookie")), null);
    }

    /** POST /api/session {token}: the session cookie for the token; a wrong token is a 401. */
    public Map<String, Object> login(Map<String, Object> body, Exchange exchange) {
        if (!required()) {
            return answer(true, null);
        }
        if (!(body != null && body.get("token") instanceof String presented) || presented.isEmpty()) {
            throw new IllegalArgumentException("token is missing");
        }
        if (!isToken(presented)) {
            throw new UnauthorizedException("wrong API token");
        }
        long expires = now() + maxAgeMs;
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        String value = expires + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
        exchange.getMessage().setHeader("Set-Cookie", COOKIE + "=" + signed(value) + "; Max-Age=" + maxAgeMs / 1000
                + attributes(exchange));
        return answer(true, Instant.ofEpochMilli(expires).toString());
    }

    /** DELETE /api/session: the cookie cleared in the browser and refused from now on. */
    public Map<String, Object> logout(Exchange exchange) {
        String value = cookie(header(exchange, "Cookie"));
        long now = now();
        revoked.values().removeIf(expiry -> expiry < now);
        if (value != null && validCookie(value, now)) {
            revoked.put(value, expiry(value));
        }
        exchange.getMessage().setHeader("Set-Cookie", COOKIE + "=; Max-Age=0" + attributes(exchange));
        return answer(!required(), null);
    }

    private Map<String, Object> answer(boolean authenticated, String expiresAt) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tokenRequired", required());
        answer.put("authenticated", authenticated);
        answer.put("expiresAt", expiresAt);
        return answer;
    }

    /** Path, HttpOnly, SameSite=Strict; Secure when the request came over HTTPS (directly or through a proxy). */
    private static String attributes(Exchange exchange) {
        String url = String.valueOf(header(exchange, Exchange.HTTP_URL)).toLowerCase(Locale.ROOT);
        boolean https = url.startsWith("https:") || "https".equalsIgnoreCase(header(exchange, "X-Forwarded-Proto"));
        return "; Path=/api; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
    }

    private static String header(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }

    boolean validCookie(String value, long now) {
        int sig = value == null ? -1 : value.lastIndexOf('.');
        if (key == null || sig < 0 || expiry(value) <= now || revoked.containsKey(value)) {
            return false;
        }
        return MessageDigest.isEqual(signed(value.substring(0, sig)).getBytes(StandardCharsets.US_ASCII),
                value.getBytes(StandardCharsets.US_ASCII));
    }

    /** A cookie value: {@code <expiry ms>.<nonce>}, then its signature. */
    private String signed(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] sig = mac.doFinal(("control-center session " + value).getBytes(StandardCharsets.US_ASCII));
            return value + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static long expiry(String value) {
        int dot = value.indexOf('.');
        try {
            return dot > 0 ? Long.parseLong(value.substring(0, dot)) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The value of our cookie in a Cookie header, or null. */
    static String cookie(String cookies) {
        if (cookies == null) {
            return null;
        }
        for (String pair : cookies.split(";")) {
            String p = pair.trim();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }

    /** The token an Authorization header presents: Bearer, or Basic's password (any user name, for Hawtio). */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("bearer ")) {
            return header.substring(7).trim();
        }
        if (lower.startsWith("basic ")) {
            try {
                String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                return pair.substring(pair.indexOf(':') + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    long now() {
        return System.currentTimeMillis();
    }
}
