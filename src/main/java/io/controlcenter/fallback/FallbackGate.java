package io.controlcenter.fallback;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.controlcenter.gateway.GatewayClient;
import io.controlcenter.gateway.GatewayState;
import io.controlcenter.ops.Meters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when the HTTP polling fallback runs (routes/fallback.yaml) and keeps its record. At start it waits for the
 * WebSocket up to {@code fallback.startup-wait}; later it starts once the WebSocket has been down longer than
 * {@code fallback.grace}; it stands down as soon as the WebSocket is connected again. An authentication failure of the
 * WebSocket (the same token would fail over HTTP too) does not start polling.
 */
@ManagedResource(description = "HTTP polling fallback of the gateway connection")
public class FallbackGate implements MeterBinder {

    /** Each gateway's gate is the bean {@code fallbackGate-<gateway>}. */
    public static final String BEAN_PREFIX = "fallbackGate-";

    private static final Logger LOG = LoggerFactory.getLogger(FallbackGate.class);
    private static final Set<String> AUTH_FAILURES = Set.of("DEVICE_IDENTITY_REQUIRED", "NOT_PAIRED", "PAIRING_REQUIRED",
            "CLOSE_4001", "MISSING_SCOPES");

    private final String gateway;
    private final Supplier<GatewayClient> clients;
    private final Duration startupWait;
    private final Duration grace;
    private final Duration interval;
    private volatile boolean active;
    private volatile Instant lastPollAt;
    private volatile Instant lastSuccessAt;
    private volatile String lastError;
    private volatile String breaker = "CLOSED";
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong transitions = new AtomicLong();

    /** {@code client} is looked up when first needed: the connection is made by the routes, not by configuration. */
    public FallbackGate(String gateway, Supplier<GatewayClient> client, Duration startupWait, Duration grace,
                        Duration interval) {
        this.gateway = gateway;
        this.clients = client;
        this.startupWait = startupWait;
        this.grace = grace;
        this.interval = interval;
    }

    private GatewayClient client() {
        return clients.get();
    }

    /** Whether a poll is due now: the fallback is warranted and the last poll is an interval ago. */
    public synchronized boolean pollDue() {
        boolean warranted = warranted();
        if (warranted != active) {
            active = warranted;
            if (warranted) {
                LOG.warn("Gateway {}: WebSocket down since {}; polling over HTTP every {} ms", gateway,
                        client().getDownSince(), interval.toMillis());
            } else {
                LOG.info("Gateway {}: {}; HTTP polling stands down", gateway,
                        client().getGatewayState() == GatewayState.CONNECTED ? "WebSocket connected"
                                : "WebSocket refused our credentials (" + client().getErrorCode() + ")");
            }
        }
        return active && (lastPollAt == null || !Instant.now().isBefore(lastPollAt.plus(interval)));
    }

    private boolean warranted() {
        GatewayState state = client().getGatewayState();
        if (state == GatewayState.CONNECTED || state == GatewayState.DISCONNECTED || state == GatewayState.PAIRING) {
            return false; // pairing: the gateway is there and waits for an operator, polling would read with no approval
        }
        if (state == GatewayState.FAILED && isAuthFailure(client().getErrorCode())) {
            return false;
        }
        Instant downSince = client().getDownSince();
        Duration wait = client().hasEverConnected() ? grace : startupWait;
        return downSince != null && !Instant.now().isBefore(downSince.plus(wait));
    }

    static boolean isAuthFailure(String errorCode) {
        return errorCode != null && (errorCode.startsWith("AUTH_") || errorCode.startsWith("DEVICE_AUTH")
                || AUTH_FAILURES.contains(errorCode));
    }

    /** Records a poll's outcome and the breaker state after it ({@code CamelCircuitBreakerState}). */
    public synchronized void pollDone(String breakerState, Boolean fromFallback, Exception error) {
        lastPollAt = Instant.now();
        polls.incrementAndGet();
        boolean failed = Boolean.TRUE.equals(fromFallback) || error != null;
        String before = lastError;
        if (failed) {
            failures.incrementAndGet();
            lastError = error != null ? error.getMessage() : "circuit breaker open: call not made";
            if (before == null) {
                // one line when polling starts failing, not one per poll (they are counted: GET /api/gateway, polling)
                LOG.warn("Gateway {}: HTTP poll failed ({}); polling goes on every {} ms behind its circuit breaker, "
                        + "check that the gateway runs at {}", gateway, lastError, interval.toMillis(), toolsUrl());
            }
        } else {
            lastSuccessAt = lastPollAt;
            lastError = null;
            if (before != null) {
                LOG.info("Gateway {}: HTTP poll succeeded again", gateway);
            }
        }
        String state = breakerState == null ? breaker : breakerState.toUpperCase(Locale.ROOT);
        if (!state.equals(breaker)) {
            transitions.incrementAndGet();
            String line = "Gateway {}: HTTP polling circuit breaker {} -> {}{}";
            Object[] args = {gateway, breaker, state, lastError == null ? "" : " (" + lastError + ")"};
            if ("CLOSED".equals(state)) {
                LOG.info(line, args);
            } else {
                LOG.warn(line, args);
            }
            breaker = state;
        }
    }

    /**
     * {@code POST /tools/invoke} of the gateway: its {@code http-url}, or the WebSocket URL's own host and port (the
     * gateway serves both on one port).
     */
    public String toolsUrl() {
        String httpUrl = client().getConfiguration().httpUrl();
        String base = httpUrl.isBlank() ? client().getConfiguration().url().toString().replaceFirst("^ws", "http") : httpUrl;
        return base.replaceAll("/+$", "") + "/tools/invoke";
    }

    /** The Authorization header of a poll: the gateway token as bearer. */
    public String authorization() {
        return "Bearer " + client().getConfiguration().token();
    }

    /** Which path brings the fleet now: websocket, polling (the last poll succeeded, breaker not open) or none. */
    public String path() {
        if (client().getGatewayState() == GatewayState.CONNECTED) {
            return "websocket";
        }
        boolean fresh = lastSuccessAt != null && lastSuccessAt.isAfter(Instant.now().minus(interval.multipliedBy(3)));
        return active && fresh && !"OPEN".equals(breaker) ? "polling" : "none";
    }

    /** The gateway status ({@code GET /api/gateway}) with the live path and the fallback's record. */
    public Map<String, Object> status(Map<String, Object> gatewayStatus) {
        Map<String, Object> s = new LinkedHashMap<>(gatewayStatus);
        s.put("path", path());
        Map<String, Object> polling = new LinkedHashMap<>();
        polling.put("active", active);
        polling.put("breaker", breaker);
        polling.put("polls", polls.get());
        polling.put("failures", failures.get());
        polling.put("breakerTransitions", transitions.get());
        polling.put("lastPollAt", lastPollAt == null ? null : lastPollAt.toString());
        polling.put("lastSuccessAt", lastSuccessAt == null ? null : lastSuccessAt.toString());
        polling.put("lastError", lastError);
        s.put("polling", polling);
        return s;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String name = Meters.PREFIX + "fallback.";
        for (String state : new String[] {"CLOSED", "OPEN", "HALF_OPEN"}) {
            Gauge.builder(name + "breaker.state", this, g -> state.equals(g.breaker) ? 1 : 0).tag("state", state)
                    .tag("gateway", gateway)
                    .description("1 for the circuit breaker's current state of the HTTP polling fallback")
                    .register(registry);
        }
        Gauge.builder(name + "active", this, g -> g.active ? 1 : 0).tag("gateway", gateway)
                .description("1 while polling over HTTP is warranted (WebSocket down past the wait)").register(registry);
        FunctionCounter.builder(name + "polls", this, FallbackGate::getPolls).tag("gateway", gateway)
                .description("Polls made (including those the open breaker refused)").register(registry);
        FunctionCounter.builder(name + "poll.failures", this, FallbackGate::getFailures).tag("gateway", gateway)
                .description("Polls that failed or were refused by the open breaker").register(registry);
    }

    @ManagedAttribute(description = "websocket, polling or none")
    public String getPath() {
        return path();
    }

    @ManagedAttribute(description = "Polling is warranted (WebSocket down past the wait)")
    public boolean isActive() {
        return active;
    }

    @ManagedAttribute(description = "Circuit breaker state: CLOSED, OPEN, HALF_OPEN")
    public String getBreaker() {
        return breaker;
    }

    @ManagedAttribute(description = "Polls made (including those the open breaker refused)")
    public long getPolls() {
        return polls.get();
    }

    @ManagedAttribute(description = "Polls that failed or were refused by the open breaker")
    public long getFailures() {
        return failures.get();
    }

    @ManagedAttribute(description = "Circuit breaker state changes")
    public long getBreakerTransitions() {
        return transitions.get();
    }
}
