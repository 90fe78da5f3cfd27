package io.controlcenter.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.controlcenter.Application;
import io.controlcenter.db.Database;
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
 * overridden for the test: a free HTTP port, the test gateway's URL and token, short reconnect delays, and a fresh
 * database of its own on the JVM's shared test PostgreSQL ({@link TestDatabase}), dropped by {@link #close()}. A test
 * that overrides {@code db.url} brings its own database instead.
 */
public final class ControlCenterApp implements AutoCloseable {

    private final Main main;
    private final int port;
    private final String database;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ProducerTemplate template;
    private volatile String authorization;

    private ControlCenterApp(Main main, int port, String database) {
        this.main = main;
        this.port = port;
        this.database = database;
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
        String database = overrides(overrides, "db.url") ? null : TestDatabase.create();
        if (database != null) {
            props.put("db.url", TestDatabase.url(database));
            props.put("db.user", TestDatabase.USER);
            props.put("db.password", TestDatabase.PASSWORD);
        }
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            props.put(overrides[i], overrides[i + 1]);
        }
        port = Integer.parseInt(props.get("camel.server.port")); // a test may choose it (to restart on the same one)
        Main main = Application.createMain();
        props.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            stopQuietly(main);
            if (database != null) {
                TestDatabase.drop(database);
            }
            throw new IllegalStateException("Control Center did not start", e);
        }
        return new ControlCenterApp(main, port, database);
    }

    private static boolean overrides(String[] overrides, String key) {
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            if (key.equals(overrides[i])) {
                return true;
            }
        }
        return false;
    }

    private static void stopQuietly(Main main) {
        try {
            main.stop(); // a database started before the failure is stopped with Camel's services
        } catch (RuntimeException ignored) {
            // the start failure is what the caller sees
        }
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

    /** The application's own pooled DataSource (the {@code dataSource} bean routes use), on its database. */
    public DataSource jdbc() {
        DataSource ds = context().getRegistry().lookupByNameAndType(Database.DATA_SOURCE, DataSource.class);
        if (ds == null) {
            throw new IllegalStateException("no " + Database.DATA_SOURCE + " in the registry");
        }
        return ds;
    }

    /** Runs a query on the application's database; each row a map of column label to value, in column order. */
    public List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection c = jdbc().getConnection(); PreparedStatement ps = prepare(c, sql, params);
             ResultSet rs = ps.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs an INSERT, UPDATE, DELETE or DDL statement on the application's database; returns the row count. */
    public int update(String sql, Object... params) {
        try (Connection c = jdbc().getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    /** Sends {@code Authorization: value} with every request of {@link #get} and {@link #post} from now on. */
    public ControlCenterApp authorization(String value) {
        this.authorization = value;
        return this;
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    public HttpResponse<String> post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** POST with a JSON body. */
    public HttpResponse<String> post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    /** GET /observe/metrics. */
    public Prometheus metrics() {
        HttpResponse<String> r = get("/observe/metrics");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /observe/metrics answered " + r.statusCode() + ": " + r.body());
        }
        return new Prometheus(r.body());
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

    /**
     * A number of GET /api/gateway: a counter ({@code reconnects}, {@code seqGaps}, {@code connectAttempts}, …) or a gauge
     * ({@code pendingCalls}); an AssertionError naming the status when it has no such number.
     */
    public long statusCount(String field) {
        Map<String, Object> status = gatewayStatus();
        if (!(status.get(field) instanceof Number n)) {
            throw new AssertionError("GET /api/gateway has no number " + field + ": " + status);
        }
        return n.longValue();
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
        if (database != null) {
            TestDatabase.drop(database);
        }
    }

    /** A port no other server of the tests is given ({@link FreePorts}). */
    public static int freePort() {
        return FreePorts.next();
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
