package io.controlcenter.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The handshake's two messages (docs/PROTOCOL-NOTES.md, "Connection as implemented"): the {@code connect} request answering {@code connect.challenge}, with
 * the signed device block, and what the {@code hello-ok} answer tells.
 */
final class Handshake {

    static final String CLIENT_ID = "gateway-client";
    static final String CLIENT_MODE = "backend";
    static final String DISPLAY_NAME = "Control Center";
    static final String ROLE = "operator";
    static final int MIN_PROTOCOL = 3;
    static final int MAX_PROTOCOL = 4;
    static final String VERSION = Objects.requireNonNullElse(
            Handshake.class.getPackage().getImplementationVersion(), "0.1.0");
    static final String PLATFORM = System.getProperty("os.name", "linux").trim().toLowerCase(Locale.ROOT);

    private Handshake() {
    }

    /** What one connect authenticates with: a device token the gateway issued earlier, else the shared token. */
    record Credentials(String sharedToken, String deviceToken) {

        boolean usesDeviceToken() {
            return deviceToken != null;
        }

        /** The token the device signature covers: the one sent in {@code auth}. */
        String signedToken() {
            return usesDeviceToken() ? deviceToken : Objects.requireNonNullElse(sharedToken, "");
        }

        Map<String, Object> auth() {
            return usesDeviceToken() ? Map.of("deviceToken", deviceToken) : Map.of("token", sharedToken);
        }

        @Override
        public String toString() {
            return usesDeviceToken() ? "device token" : "shared token";
        }
    }

    /** The params of {@code connect}, signed by {@code device} over the challenge's nonce and ts. */
    static Map<String, Object> connectParams(Map<String, Object> challenge, DeviceIdentity device, List<String> scopes,
                                             Credentials credentials) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("id", CLIENT_ID);
        client.put("version", VERSION);
        client.put("platform", PLATFORM);
        client.put("mode", CLIENT_MODE);
        client.put("displayName", DISPLAY_NAME);
        String nonce = Objects.requireNonNullElse(Json.string(challenge, "nonce"), "");
        Long ts = Json.number(challenge, "ts");
        long signedAt = ts == null ? System.currentTimeMillis() : ts;
        Map<String, Object> signed = new LinkedHashMap<>();
        signed.put("id", device.id());
        signed.put("publicKey", device.publicKey());
        signed.put("signature", device.sign(signedPayload(device.id(), scopes, signedAt, credentials.signedToken(), nonce)));
        signed.put("signedAt", signedAt);
        signed.put("nonce", nonce);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("minProtocol", MIN_PROTOCOL);
        params.put("maxProtocol", MAX_PROTOCOL);
        params.put("client", client);
        params.put("role", ROLE);
        params.put("scopes", scopes);
        params.put("caps", List.of());
        params.put("auth", credentials.auth());
        params.put("userAgent", "control-center/" + VERSION);
        params.put("device", signed);
        return params;
    }

    /**
     * The v3 string the device signs: {@code v3|deviceId|clientId|clientMode|role|scopes|signedAt|token|nonce|platform|
     * deviceFamily} (we send no deviceFamily).
     */
    static String signedPayload(String deviceId, List<String> scopes, long signedAt, String token, String nonce) {
        return String.join("|", "v3", deviceId, CLIENT_ID, CLIENT_MODE, ROLE, String.join(",", scopes),
                Long.toString(signedAt), token, nonce, PLATFORM, "");
    }

    /**
     * What hello-ok says. {@code scopes} are the connection's granted scopes (null when hello-ok has none: an older
     * gateway); {@code payload} is hello-ok without the device token (for routes and logs).
     */
    record Hello(Integer protocol, String serverVersion, String connId, long tickIntervalMs, Long maxPayload,
                 String authMethod, List<String> scopes, String deviceToken, Map<String, Object> payload) {

        @Override
        public String toString() {
            return "hello-ok (protocol " + protocol + ", " + serverVersion + ", auth " + authMethod + ", scopes " + scopes + ")";
        }
    }

    static Hello hello(Map<String, Object> payload) {
        Map<String, Object> server = Json.map(payload.get("server"));
        Map<String, Object> policy = Json.map(payload.get("policy"));
        Map<String, Object> auth = Json.map(payload.get("auth"));
        Long tick = Json.number(policy, "tickIntervalMs");
        Long protocol = Json.number(payload, "protocol");
        List<String> scopes = auth != null && auth.get("scopes") instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : null;
        Map<String, Object> shown = payload;
        if (auth != null && auth.containsKey("deviceToken")) {
            Map<String, Object> safeAuth = new LinkedHashMap<>(auth);
            safeAuth.remove("deviceToken");
            shown = new LinkedHashMap<>(payload);
            shown.put("auth", safeAuth);
        }
        return new Hello(protocol == null ? null : protocol.intValue(), Json.string(server, "version"),
                Json.string(server, "connId"), tick == null || tick <= 0 ? 30_000 : tick,
                Json.number(policy, "maxPayload"), Json.string(auth, "method"), scopes,
                Json.string(auth, "deviceToken"), shown);
    }
}
