package io.controlcenter.conformance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.controlcenter.gateway.Json;

/**
 * The test's own operator connection to the real gateway, independent of Control Center's client: the JDK's WebSocket
 * client speaking the gateway's frames as a {@code gateway-client}/{@code backend} client with the shared token on
 * loopback (no device, no Origin header: it gets the scopes it asks for), subscribed to session events. Every event
 * frame goes to the given consumer, on the socket's thread, in the order received.
 */
final class GatewayOperator implements AutoCloseable {

    private static final List<String> SCOPES = List.of("operator.read", "operator.write", "operator.admin");

    private final Map<String, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Object> hello = new CompletableFuture<>();
    private final Consumer<Map<String, Object>> events;
    private final String token;
    private volatile WebSocket socket;

    private GatewayOperator(String token, Consumer<Map<String, Object>> events) {
        this.token = token;
        this.events = events;
    }

    /**
     * Connects, completes the handshake and {@code sessions.subscribe}, trying again for up to 15 s while the gateway
     * refuses (a gateway that is starting closes with 1013); then {@code events} gets every event frame.
     */
    static GatewayOperator connect(String url, String token, Consumer<Map<String, Object>> events) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            GatewayOperator operator = new GatewayOperator(token, events);
            try {
                HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                        .buildAsync(URI.create(url), operator.new Listener()).get(10, TimeUnit.SECONDS);
                operator.hello.get(15, TimeUnit.SECONDS);
                operator.call("sessions.subscribe", Map.of());
                return operator;
            } catch (Exception | AssertionError e) {
                operator.close();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no connection to " + url, e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    /** A request; its payload, or an AssertionError with the gateway's error (or the connection's end). */
    Object call(String method, Object params) {
        try {
            return send(method, params).get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(method + ": " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError(method + ": " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> callForMap(String method, Object params) {
        return (Map<String, Object>) call(method, params);
    }

    /** The label of each session the gateway lists ({@code sessions.list}), by key. */
    @SuppressWarnings("unchecked")
    Map<String, Object> sessionLabels() {
        Map<String, Object> list = callForMap("sessions.list", Map.of("limit", 1000));
        if (Boolean.TRUE.equals(list.get("hasMore"))) {
            throw new AssertionError("more than 1000 sessions");
        }
        Map<String, Object> labels = new TreeMap<>();
        for (Map<String, Object> session : (List<Map<String, Object>>) list.get("sessions")) {
            labels.put((String) session.get("key"), session.get("label"));
        }
        return labels;
    }

    /** The ids of the agents the gateway lists ({@code agents.list}), sorted. */
    @SuppressWarnings("unchecked")
    List<Object> agentIds() {
        return ((List<Map<String, Object>>) callForMap("agents.list", Map.of()).get("agents")).stream()
                .map(a -> a.get("id")).sorted().toList();
    }

    private CompletableFuture<Object> send(String method, Object params) {
        String id = "it-" + ids.incrementAndGet();
        CompletableFuture<Object> result = new CompletableFuture<>();
        pending.put(id, result);
        socket.sendText(Json.write(Map.of("type", "req", "id", id, "method", method, "params", params)), true)
                .exceptionally(e -> {
                    result.completeExceptionally(e);
                    return null;
                });
        return result;
    }

    private void received(String text) throws IOException {
        Map<String, Object> frame = Json.parseObject(text);
        if ("res".equals(frame.get("type"))) {
            CompletableFuture<Object> result = pending.remove(String.valueOf(frame.get("id")));
            if (result != null && Boolean.TRUE.equals(frame.get("ok"))) {
                result.complete(frame.get("payload"));
            } else if (result != null) {
                result.completeExceptionally(new IllegalStateException(Json.write(frame.get("error"))));
            }
        } else if ("event".equals(frame.get("type")) && "connect.challenge".equals(frame.get("event"))) {
            Map<String, Object> client = Map.of("id", "gateway-client", "version", "1.0.0", "platform", "linux",
                    "mode", "backend", "displayName", "RealGatewayRestartsIT");
            send("connect", Map.of("minProtocol", 4, "maxProtocol", 4, "client", client, "role", "operator",
                    "scopes", SCOPES, "auth", Map.of("token", token))).whenComplete((payload, e) -> {
                        if (e != null) {
                            hello.completeExceptionally(e);
                        } else {
                            hello.complete(payload);
                        }
                    });
        } else if ("event".equals(frame.get("type"))) {
            events.accept(frame);
        }
    }

    private void ended(String why) {
        IllegalStateException e = new IllegalStateException("connection ended: " + why);
        hello.completeExceptionally(e);
        pending.values().forEach(f -> f.completeExceptionally(e));
        pending.clear();
    }

    @Override
    public void close() {
        WebSocket s = socket;
        if (s != null) {
            s.abort();
        }
        ended("closed by the test");
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket; // the challenge may come before buildAsync completes
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    received(text.toString());
                } catch (IOException e) {
                    throw new IllegalStateException("not JSON: " + text, e);
                } finally {
                    text.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended(String.valueOf(error));
        }
    }
}
