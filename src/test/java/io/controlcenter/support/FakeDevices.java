package io.controlcenter.support;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Device identity and pairing as the real gateway does them (docs/PROTOCOL-NOTES.md, "Beyond loopback"; frames 71, 74, 76, 77): the signed
 * device block is verified like the gateway verifies it (id = SHA-256 of the key, v3 signature over the challenge's
 * nonce and ts and the token sent); on loopback a signed backend gets its scopes and no device token; {@link #remote}
 * makes this a gateway reached from another address: no device means no scopes, an unknown device or more scopes than
 * approved means PAIRING_REQUIRED (one request per device, superseded when the scopes change), an approved one gets a
 * device token, and a device token is accepted only while the device is paired.
 */
public final class FakeDevices {

    /** A pending pairing request, as {@code openclaw devices list --json} shows it. */
    public record Pending(String requestId, String deviceId, List<String> scopes, String reason) {
    }

    /** What the gateway does with a connect: a refusal (error, close) or hello-ok's auth. */
    public record Outcome(Map<String, Object> error, int closeCode, String closeReason, Map<String, Object> auth,
                          String deviceId) {
        boolean refused() {
            return error != null;
        }
    }

    private record Paired(List<String> scopes, String token) {
    }

    /** Beyond loopback: pairing applies (docs/PROTOCOL-NOTES.md, "Beyond loopback"; frames 71 and 74). */
    public volatile boolean remote;
    /** When set, hello-ok grants exactly these scopes (a gateway that narrowed them; the scope check's test). */
    public volatile List<String> grantOverride;
    /** Every verified device block's token kind, in order: {@code token} or {@code deviceToken}. */
    public final List<String> authKinds = new CopyOnWriteArrayList<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Paired> paired = new ConcurrentHashMap<>();

    /** Decides a connect whose shared token (if sent) is right. {@code nonce}, {@code ts}: the challenge sent. */
    @SuppressWarnings("unchecked")
    Outcome connect(Map<String, Object> params, String sharedToken, String nonce, long ts) {
        Map<String, Object> auth = (Map<String, Object>) params.get("auth");
        Map<String, Object> device = (Map<String, Object>) params.get("device");
        List<String> requested = params.get("scopes") instanceof List<?> l ? (List<String>) l : List.of();
        String deviceToken = (String) auth.get("deviceToken");
        String token = (String) auth.get("token");
        if (device == null) {
            return granted(remote ? List.of() : requested, "token", null, null);
        }
        String invalid = verify(params, device, token != null ? token : Objects.requireNonNullElse(deviceToken, ""),
                nonce, ts);
        if (invalid != null) {
            return refusal("INVALID_REQUEST", "device signature invalid", Map.of("code", invalid), 1008,
                    "device signature invalid");
        }
        String id = (String) device.get("id");
        authKinds.add(token != null ? "token" : "deviceToken");
        Paired p = paired.get(id);
        if (token == null && deviceToken != null && (p == null || !deviceToken.equals(p.token()))) {
            return refusal("INVALID_REQUEST", "unauthorized: device token mismatch (rotate/reissue device token)",
                    Map.of("code", "AUTH_DEVICE_TOKEN_MISMATCH", "recommendedNextStep", "update_auth_credentials"), 1008,
                    "unauthorized: device token mismatch (rotate/reissue device token)");
        }
        String method = token != null ? "token" : "device-token";
        if (!remote) {
            return granted(requested, method, null, id); // loopback: silently trusted, no device token (observed)
        }
        if (p == null || !p.scopes().containsAll(requested)) {
            return pairingRequired(id, requested, p == null ? "not-paired" : "scope-upgrade");
        }
        return granted(requested, method, p.token(), id);
    }

    private Outcome granted(List<String> scopes, String method, String deviceToken, String deviceId) {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("method", method);
        auth.put("role", "operator");
        auth.put("scopes", grantOverride != null ? grantOverride : scopes);
        auth.put("recoveryScope", "REDACTED");
        if (deviceToken != null) {
            auth.put("deviceToken", deviceToken);
            auth.put("issuedAtMs", System.currentTimeMillis());
        }
        return new Outcome(null, 0, null, auth, deviceId);
    }

    /** Frame 71: one request per device; the same scopes keep its requestId, other scopes supersede it. */
    private Outcome pairingRequired(String deviceId, List<String> scopes, String reason) {
        Pending p = pending.compute(deviceId, (k, old) -> old != null && old.scopes().equals(scopes) ? old
                : new Pending(UUID.randomUUID().toString(), deviceId, List.copyOf(scopes), reason));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("code", "PAIRING_REQUIRED");
        details.put("reason", reason);
        details.put("requestId", p.requestId());
        details.put("remediationHint", "Approve this device from the pending pairing requests.");
        details.put("deviceId", deviceId);
        details.put("requestedRole", "operator");
        details.put("requestedScopes", scopes);
        String message = "not-paired".equals(reason) ? "pairing required: device is not approved yet"
                : "pairing required: device is asking for more scopes than currently approved";
        return refusal("NOT_PAIRED", message, details, 1008, message + " (requestId: " + p.requestId() + ")");
    }

    private static Outcome refusal(String code, String message, Map<String, Object> details, int close, String reason) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("details", details);
        return new Outcome(error, close, reason.length() > 123 ? reason.substring(0, 123) : reason, null, null);
    }

    /** Null when the device block is right, else the gateway's detail code for what is wrong. */
    @SuppressWarnings("unchecked")
    private static String verify(Map<String, Object> params, Map<String, Object> device, String token, String nonce,
                                 long ts) {
        if (!nonce.equals(device.get("nonce"))) {
            return "DEVICE_AUTH_NONCE_MISMATCH";
        }
        if (!(device.get("signedAt") instanceof Number n) || n.longValue() != ts) {
            return "DEVICE_AUTH_SIGNATURE_EXPIRED";
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode((String) device.get("publicKey"));
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
            if (!id.equals(device.get("id"))) {
                return "DEVICE_AUTH_DEVICE_ID_MISMATCH";
            }
            Map<String, Object> client = (Map<String, Object>) params.get("client");
            List<String> scopes = (List<String>) params.get("scopes");
            String payload = String.join("|", "v3", id, (String) client.get("id"), (String) client.get("mode"),
                    (String) params.get("role"), String.join(",", scopes), String.valueOf(ts), token, nonce,
                    String.valueOf(client.get("platform")).trim().toLowerCase(), "");
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(publicKey(raw));
            v.update(payload.getBytes(StandardCharsets.UTF_8));
            return v.verify(Base64.getUrlDecoder().decode((String) device.get("signature")))
                    ? null : "DEVICE_AUTH_SIGNATURE_INVALID";
        } catch (Exception e) {
            return "DEVICE_AUTH_PUBLIC_KEY_INVALID";
        }
    }

    private static PublicKey publicKey(byte[] raw) throws Exception {
        byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100"); // SPKI header of an Ed25519 key
        byte[] spki = new byte[prefix.length + raw.length];
        System.arraycopy(prefix, 0, spki, 0, prefix.length);
        System.arraycopy(raw, 0, spki, prefix.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    /** {@code openclaw devices approve <requestId>}: the device is paired for the scopes it asked for. */
    public void approve(String requestId) {
        Pending p = pending.values().stream().filter(r -> r.requestId().equals(requestId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pending request " + requestId));
        pending.remove(p.deviceId());
        Paired before = paired.get(p.deviceId());
        paired.put(p.deviceId(), new Paired(p.scopes(), before != null ? before.token()
                : UUID.randomUUID().toString().replace("-", "")));
    }

    /** {@code openclaw devices remove <deviceId>}; the caller closes the device's connections (4001, frame 77). */
    public void remove(String deviceId) {
        paired.remove(deviceId);
    }

    /** {@code openclaw devices rotate --device <id> --role operator}: a new device token; the old one is refused. */
    public void rotate(String deviceId) {
        paired.computeIfPresent(deviceId, (k, p) -> new Paired(p.scopes(), UUID.randomUUID().toString().replace("-", "")));
    }

    /** The pending requests ({@code openclaw devices list --json}, "pending"). */
    public List<Pending> pending() {
        return new ArrayList<>(pending.values());
    }

    public boolean isPaired(String deviceId) {
        return paired.containsKey(deviceId);
    }

    /** The device token issued to a paired device (a secret a test looks for where it must not be). */
    public String tokenOf(String deviceId) {
        Paired p = paired.get(deviceId);
        return p == null ? null : p.token();
    }
}
