package io.controlcenter.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.controlcenter.ops.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one gateway connection (tag {@code gateway}): frames and events in by type, RPC latency by method and
 * outcome, and the client's own counters (reconnects, seq gaps, ...) read where they are kept.
 */
final class GatewayMetrics {

    private static final String NAME = Meters.PREFIX + "gateway.";
    /** Distinct event names counted on their own; a gateway sending more is counted under {@code other}. */
    private static final int MAX_EVENT_NAMES = 200;

    private final MeterRegistry registry;
    private final String gateway;
    private final Map<String, Counter> frames = new ConcurrentHashMap<>();
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    private final Map<String, Timer> calls = new ConcurrentHashMap<>();

    GatewayMetrics(MeterRegistry registry, GatewayClient client) {
        this.registry = registry;
        this.gateway = client.getGatewayName();
        counter("connect.attempts", "WebSocket connections opened or tried", client, GatewayClient::getConnectAttempts);
        counter("reconnects", "Connections re-established (hello-ok) after the first", client, GatewayClient::getReconnects);
        counter("seq.gaps", "Gaps in the event seq; each one requested a resync of the fleet", client, GatewayClient::getSeqGaps);
        counter("tick.timeouts", "Connections closed because no tick arrived", client, GatewayClient::getTickTimeouts);
        counter("pairing.required", "Connects refused with PAIRING_REQUIRED: the device waits for approval on the gateway",
                client, GatewayClient::getPairingRefusals);
        counter("malformed.frames", "Frames ignored because they were not a JSON object with a type", client,
                GatewayClient::getMalformedFrames);
        Gauge.builder(NAME + "connected", client, c -> c.getGatewayState() == GatewayState.CONNECTED ? 1 : 0)
                .description("1 while the gateway connection is up (hello-ok received)").tag("gateway", gateway)
                .register(registry);
        Gauge.builder(NAME + "failed", client, c -> c.getGatewayState() == GatewayState.FAILED ? 1 : 0)
                .description("1 while the connection has failed for good (bad token, protocol mismatch)")
                .tag("gateway", gateway).register(registry);
        Gauge.builder(NAME + "pairing", client, c -> c.getGatewayState() == GatewayState.PAIRING ? 1 : 0)
                .description("1 while the gateway waits for an operator to approve Control Center's device")
                .tag("gateway", gateway).register(registry);
        Gauge.builder(NAME + "pending.calls", client, GatewayClient::getPendingCalls)
                .description("RPC calls waiting for their response").tag("gateway", gateway).register(registry);
    }

    private void counter(String name, String description, GatewayClient client, ToDoubleFunction<GatewayClient> f) {
        FunctionCounter.builder(NAME + name, client, f).description(description).tag("gateway", gateway)
                .register(registry);
    }

    /** A frame received after parsing, by its {@code type} ({@code event}, {@code res}, ...). */
    void frame(String type) {
        frames.computeIfAbsent(String.valueOf(type), t -> Counter.builder(NAME + "frames")
                .description("Frames received from the gateway by type").tag("gateway", gateway).tag("type", t)
                .register(registry)).increment();
    }

    /** An event received, by its name. */
    void event(String name) {
        String text = String.valueOf(name); // a frame may have no event name (or one of another type)
        String key = events.size() < MAX_EVENT_NAMES || events.containsKey(text) ? text : "other";
        events.computeIfAbsent(key, e -> Counter.builder(NAME + "events")
                .description("Events received from the gateway by name").tag("gateway", gateway).tag("event", e)
                .register(registry)).increment();
    }

    /** A call answered or failed: its latency by method and outcome ({@code ok} or the error code). */
    void call(String method, long startedNanos, Throwable error) {
        String outcome = error == null ? "ok"
                : error instanceof GatewayRpcException e && e.getCode() != null ? e.getCode() : "error";
        calls.computeIfAbsent(method + ' ' + outcome, k -> Timer.builder(NAME + "rpc")
                .description("RPC calls to the gateway: latency by method and outcome").tag("gateway", gateway)
                .tag("method", method).tag("outcome", outcome).register(registry))
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }
}
