package io.controlcenter.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.controlcenter.cluster.GatewayLeaders;
import io.controlcenter.cluster.LeaderForward;
import io.controlcenter.fallback.FallbackGate;
import io.controlcenter.gateway.GatewayClient;
import io.controlcenter.gateway.OpenClawComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.support.CamelContextHelper;

/**
 * The gateways as the API shows them (routes/api-gateway.yaml), and which gateway a request addresses (every API route
 * that reads or calls one): a path's {@code {name}} or {@code ?gateway=}, else the default gateway; a name that is not
 * configured is a 404. With several instances, a gateway's connection is its leader's, which this asks of it. Only configured gateways are listed or addressed: a removed one (no longer in {@code gateways})
 * has left the live views. Bound as {@code gatewaysApi}.
 */
public class GatewaysApi {

    /**
     * What the database holds of each gateway, all in one statement: its live agents and sessions, its newest event
     * (ordered as the index event_log_by_gateway is, so that it is read from there: see V7__event_log_by_gateway.sql).
     */
    private static final String COUNTS = """
            SELECT g.name,
                   (SELECT count(*) FROM agents a WHERE a.gateway = g.name AND NOT a.gone) AS agents,
                   (SELECT count(*) FROM sessions s WHERE s.gateway = g.name AND NOT s.gone) AS sessions,
                   (SELECT e.received_at FROM event_log e WHERE e.gateway = g.name
                    ORDER BY e.received_at DESC, e.id DESC LIMIT 1) AS last_event_at
            FROM unnest(CAST(? AS text[])) AS g(name)""";

    private final CamelContext context;
    private final DataSource dataSource;
    private final List<String> names;
    private final String primary;
    private final GatewayLeaders leaders;
    private final LeaderForward forward;

    /**
     * {@code names}: the configured gateways in order; {@code primary}: the one meant when a request names none;
     * {@code leaders}: which instance leads each one, {@code forward} asks the others for theirs.
     */
    public GatewaysApi(CamelContext context, DataSource dataSource, List<String> names, String primary,
                       GatewayLeaders leaders, LeaderForward forward) {
        this.context = context;
        this.dataSource = dataSource;
        this.names = List.copyOf(names);
        this.primary = primary;
        this.leaders = leaders;
        this.forward = forward;
    }

    /** The gateway a request addresses: {@code requested}, or the default gateway when it names none. */
    public String gateway(String requested) {
        if (requested == null || requested.isBlank()) {
            return primary;
        }
        if (!names.contains(requested)) {
            throw new NotFoundException("no gateway " + requested + " (gateways: " + String.join(", ", names) + ")");
        }
        return requested;
    }

    /** The gateways a list covers: the one requested, or every configured one when it names none. */
    public List<String> gateways(String requested) {
        return requested == null || requested.isBlank() ? names : List.of(gateway(requested));
    }

    /**
     * GET /api/gateway: the default gateway's connection status and the path its fleet arrives by; of a gateway another
     * instance leads, as that instance shows it.
     */
    public Map<String, Object> status(String name) throws SQLException {
        String gateway = gateway(name);
        return leaders.elsewhere(gateway) ? remote(gateway, forward.statuses(List.of(gateway)).get(gateway))
                : local(gateway);
    }

    /** The connection of a gateway this instance leads (with one instance: every gateway). */
    private Map<String, Object> local(String gateway) {
        GatewayClient client = context.getComponent("openclaw", OpenClawComponent.class).client(gateway);
        FallbackGate gate = CamelContextHelper.mandatoryLookup(context, FallbackGate.BEAN_PREFIX + gateway,
                FallbackGate.class);
        return gate.status(client.status());
    }

    /**
     * A gateway another instance leads, as its leader shows it ({@code shown}); null when the leader did not answer (or
     * none leads it): this instance's view, its state {@code unknown}, and why.
     */
    private Map<String, Object> remote(String gateway, Map<String, Object> shown) {
        if (shown != null) {
            return new LinkedHashMap<>(shown);
        }
        Map<String, Object> status = local(gateway);
        status.put("state", "unknown");
        status.put("reason", "another instance leads gateway " + gateway + " and did not answer, or none leads it at "
                + "the moment");
        return status;
    }

    /** Reconnects the gateway now (also out of {@code failed}); returns its status. */
    public Map<String, Object> reconnect(String name) throws SQLException {
        String gateway = gateway(name);
        context.getComponent("openclaw", OpenClawComponent.class).client(gateway).reconnect();
        return status(gateway);
    }

    /** GET /api/gateways: every configured gateway in configuration order, its status with what the database holds. */
    public List<Map<String, Object>> list() throws SQLException {
        return described(names);
    }

    /** GET /api/gateways/{name}: one gateway as the list shows it. */
    public Map<String, Object> get(String name) throws SQLException {
        return described(List.of(gateway(name))).get(0);
    }

    /**
     * Each gateway's status with what the database holds of it, and with several instances which one leads it
     * ({@code leader: {instanceId, since, local}}, null while none does).
     */
    private List<Map<String, Object>> described(List<String> gateways) throws SQLException {
        Map<String, Map<String, Object>> stored = stored(gateways);
        Map<String, GatewayLeaders.Leader> leading = leaders.leaders();
        List<String> elsewhere = gateways.stream().filter(leaders::elsewhere).toList();
        Map<String, Map<String, Object>> shown = elsewhere.isEmpty() ? Map.of() : forward.statuses(elsewhere);
        List<Map<String, Object>> described = new ArrayList<>(gateways.size());
        for (String name : gateways) {
            Map<String, Object> gateway = leaders.elsewhere(name) ? remote(name, shown.get(name)) : local(name);
            gateway.putAll(stored.get(name));
            if (leaders.clustered()) {
                GatewayLeaders.Leader leader = leading.get(name);
                gateway.put("leader", leader == null ? null : leader.toMap());
            }
            described.add(gateway);
        }
        return described;
    }

    /** Per gateway: {@code agentCount}, {@code sessionCount} (live ones) and {@code lastEventAt} (ISO-8601 or null). */
    private Map<String, Map<String, Object>> stored(List<String> gateways) throws SQLException {
        Map<String, Map<String, Object>> stored = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(COUNTS)) {
            ps.setArray(1, c.createArrayOf("text", gateways.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> counts = new LinkedHashMap<>();
                    counts.put("agentCount", rs.getLong("agents"));
                    counts.put("sessionCount", rs.getLong("sessions"));
                    Timestamp last = rs.getTimestamp("last_event_at");
                    counts.put("lastEventAt", last == null ? null : Instant.ofEpochMilli(last.getTime()).toString());
                    stored.put(rs.getString("name"), counts);
                }
            }
        }
        return stored;
    }
}
