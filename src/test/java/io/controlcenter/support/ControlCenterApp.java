package io.controlcenter.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.controlcenter.Application;
import io.controlcenter.gateway.GatewayClient;
import io.controlcenter.gateway.Json;
import io.controlcenter.gateway.OpenClawComponent;
import io.controlcenter.gateway.OpenClawConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.Main;

/**
 * The real application (application.properties, routes/, camel-main) booted in the test JVM, with properties
 * overridden for the test: a free HTTP port, the test gateway's URL and token, short reconnect delays.
 */
public final class ControlCenterApp implements AutoCloseable {

    private final Main main;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ProducerTemplate template;

    private ControlCenterApp(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    /** Boots against {@code gatewayUrl}; {@code overrides} are key, value pairs applied last. */
    public static ControlCenterApp start(String gatewayUrl, String... overrides) {
        int port = freePort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("camel.server.port", String.valueOf(port));
        props.put("gateway.ws-url", gatewayUrl);
        props.put("gateway.token", FakeGateway.TOKEN);
        props.put("gateway.reconnect.initial-delay", "100");
        props.put("gateway.reconnect.max-delay", "1600");
        props.put("gateway.reconnect.jitter", "0");
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            props.put(overrides[i], overrides[i + 1]);
        }
        Main main = Application.createMain();
        props.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("Control Center did not start", e);
        }
        return new ControlCenterApp(main, port);
    }

    public static ControlCenterApp start(FakeGateway gateway, String... overrides) {
        return start(gateway.url(), overrides);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public GatewayClient client() {
        return context().getComponent("openclaw", OpenClawComponent.class).client("default");
    }

    /** An RPC call through the openclaw: producer, as routes make it. */
    public Object call(String method, Object params) {
        if (template == null) {
            template = context().createProducerTemplate();
        }
        return template.requestBodyAndHeader("openclaw:default", params, OpenClawConstants.METHOD, method);
    }

    /** Adds a mock endpoint at the end of route {@code routeId} and returns it, to see what the route handled. */
    public MockEndpoint tap(String routeId) {
        String uri = "mock:" + routeId;
        try {
            AdviceWith.adviceWith(context(), routeId, a -> a.weaveAddLast().to(uri));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return context().getEndpoint(uri, MockEndpoint.class);
    }

    public int port() {
        return port;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    public HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** GET /api/gateway, parsed. */
    public Map<String, Object> gatewayStatus() {
        HttpResponse<String> r = get("/api/gateway");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /api/gateway answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return Json.parseObject(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        main.stop();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
