package io.controlcenter.gateway;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.controlcenter.config.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device side of one gateway's connection (docs/PROTOCOL-NOTES.md, "Beyond loopback"): the credentials of the next
 * connect (the device token the gateway issued, else the shared token), the device token kept through
 * {@link DeviceCredentials}, and the pairing request the gateway waits on. Changed on the connection's event loop only;
 * read from any thread.
 */
final class DeviceAuth {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceAuth.class);

    /** A pending pairing request on the gateway, as its PAIRING_REQUIRED refusal described it. */
    record PairingRequest(String requestId, String deviceId, String reason, List<String> requestedScopes, Instant since) {

        String command() {
            return "openclaw devices approve " + requestId;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requestId", requestId);
            m.put("deviceId", deviceId);
            m.put("reason", reason);
            m.put("requestedScopes", requestedScopes);
            m.put("command", command());
            m.put("since", since.toString());
            return m;
        }
    }

    /**
     * A connect the gateway refused: its error; whether it was PAIRING_REQUIRED, and with a request it had not given
     * before; whether the refused device token was dropped, so that the next attempt, at once, uses the shared token.
     */
    record Refusal(GatewayRpcException error, boolean pairing, boolean newPairingRequest, boolean retryWithSharedToken) {
    }

    /** Refusals of a device token that the shared token (with the signed device) may get past: it is tried once. */
    private static final Set<String> TOKEN_REFUSALS = Set.of("AUTH_DEVICE_TOKEN_MISMATCH", "AUTH_SCOPE_MISMATCH");

    private final String gateway;
    private final DeviceIdentity identity;
    private final DeviceCredentials store;
    private final String sharedToken;
    private final List<String> scopes;
    private final Consumer<Runnable> blocking;
    private final AtomicLong pairingRefusals = new AtomicLong();
    private volatile String deviceToken;
    private volatile PairingRequest pairing;
    private volatile String authMethod;
    private volatile List<String> grantedScopes;

    /**
     * Reads the identity and the kept device token now (blocking, at start); {@code blocking} runs later writes off the
     * event loop, in order.
     */
    DeviceAuth(GatewaySettings config, DeviceCredentials store, Consumer<Runnable> blocking) {
        this.gateway = config.name();
        this.sharedToken = config.token();
        this.scopes = config.scopes();
        this.store = store;
        this.blocking = blocking;
        this.identity = store.identity();
        this.deviceToken = store.deviceToken(gateway, identity.id()).orElse(null);
    }

    DeviceIdentity identity() {
        return identity;
    }

    List<String> scopes() {
        return scopes;
    }

    /** What the next connect authenticates with. */
    Handshake.Credentials next() {
        return new Handshake.Credentials(sharedToken, deviceToken);
    }

    /** hello-ok: the pairing (if any) is over; a new device token is kept. */
    void connected(Handshake.Hello hello) {
        pairing = null;
        authMethod = hello.authMethod();
        grantedScopes = hello.scopes();
        String issued = hello.deviceToken();
        if (issued != null && !issued.equals(deviceToken)) {
            deviceToken = issued;
            List<String> granted = Objects.requireNonNullElse(hello.scopes(), scopes);
            blocking.accept(() -> {
                try {
                    store.saveDeviceToken(gateway, identity.id(), issued, granted);
                    LOG.info("Gateway {}: device token issued to {} kept (later connects use it)", gateway, identity);
                } catch (RuntimeException e) {
                    LOG.warn("Gateway {}: the device token could not be stored ({}); it is used until Control Center "
                            + "stops, then the shared token is used again", gateway, Messages.causes(e));
                }
            });
        }
    }

    /**
     * The gateway no longer accepts the device token (refused, or the device was removed): it is forgotten and the
     * next connect uses the shared token. False when no device token was in use.
     */
    boolean forgetDeviceToken(String why) {
        if (deviceToken == null) {
            return false;
        }
        deviceToken = null;
        LOG.info("Gateway {}: {}; the device token is dropped and the next connect uses the shared token", gateway, why);
        blocking.accept(() -> {
            try {
                store.forgetDeviceToken(gateway, identity.id());
            } catch (RuntimeException e) {
                LOG.warn("Gateway {}: the refused device token could not be deleted ({})", gateway, Messages.causes(e));
            }
        });
        return true;
    }

    /** What a refusal of connect (with {@code code}, made with {@code used}) means for the device and the next attempt. */
    Refusal refused(GatewayRpcException e, String code, Handshake.Credentials used) {
        if ("PAIRING_REQUIRED".equals(e.getDetailCode())) {
            return new Refusal(e, true, pairingRequired(e), false);
        }
        boolean retry = used.usesDeviceToken() && TOKEN_REFUSALS.contains(code)
                && forgetDeviceToken("gateway " + gateway + " refused the device token (" + code + ")");
        return new Refusal(e, false, false, retry);
    }

    /** A PAIRING_REQUIRED refusal; true when its request is new (the first, or one that superseded the last). */
    private boolean pairingRequired(GatewayRpcException refusal) {
        pairingRefusals.incrementAndGet();
        Map<String, Object> d = refusal.getDetails() == null ? Map.of() : refusal.getDetails();
        String requestId = Json.string(d, "requestId");
        PairingRequest last = pairing;
        boolean fresh = last == null || !Objects.equals(last.requestId(), requestId);
        List<String> requested = d.get("requestedScopes") instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : scopes;
        pairing = new PairingRequest(requestId, Objects.requireNonNullElse(Json.string(d, "deviceId"), identity.id()),
                Json.string(d, "reason"), requested, fresh ? Instant.now() : last.since());
        return fresh;
    }

    /** The one sentence that says what the operator must do while the gateway waits for approval. */
    String pairingSentence(long retryMs) {
        PairingRequest p = pairing;
        if (p == null) {
            return null;
        }
        String what = "scope-upgrade".equals(p.reason()) ? "asks for more scopes than approved"
                : "role-upgrade".equals(p.reason()) ? "asks for a role not approved"
                : "metadata-upgrade".equals(p.reason()) ? "connects with changed client details" : "is not approved yet";
        String every = retryMs % 1000 == 0 ? retryMs / 1000 + " s" : retryMs + " ms";
        return "PAIRING_REQUIRED: Control Center's device " + p.deviceId() + " " + what + " on gateway " + gateway
                + "; approve it on the gateway host with `" + p.command() + "` (scopes "
                + String.join(", ", p.requestedScopes()) + "); Control Center retries every " + every
                + " and connects once it is approved";
    }

    /** Why a connection the gateway accepted without {@code missing} (of {@code granted}) cannot be used, and what to do. */
    String missingScopes(List<String> granted, List<String> missing) {
        return "MISSING_SCOPES: gateway " + gateway + " accepted Control Center's device " + identity.id() + " with scopes "
                + granted + ", without " + String.join(", ", missing) + ", which Control Center needs to see the fleet; "
                + "on the gateway host approve the device for " + String.join(", ", scopes) + " (openclaw devices list; "
                + "openclaw devices remove " + identity.id() + ", then openclaw devices approve <the new requestId>), then "
                + "reconnect (POST /api/gateway/reconnect)";
    }

    PairingRequest pairing() {
        return pairing;
    }

    long pairingRefusals() {
        return pairingRefusals.get();
    }

    String authMethod() {
        return authMethod;
    }

    List<String> grantedScopes() {
        return grantedScopes;
    }

    /** The device's part of the connection status. Never a key or a token. */
    void status(Map<String, Object> s, boolean pairingNow) {
        PairingRequest p = pairingNow ? pairing : null;
        s.put("deviceId", identity.id());
        s.put("authMethod", authMethod);
        s.put("scopes", grantedScopes);
        s.put("requestedScopes", scopes);
        s.put("deviceTokenKept", deviceToken != null);
        s.put("pairing", p == null ? null : p.toMap());
    }
}
