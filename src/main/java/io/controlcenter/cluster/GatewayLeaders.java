package io.controlcenter.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.controlcenter.ops.Meters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which instance leads each gateway (bean {@code gatewayLeaders}). With one instance ({@code cluster.service=none})
 * this one leads them all. With several it follows the leadership of each gateway's namespace on the cluster service
 * (the same views the {@code master:} consumers of routes/ run on) and records it in the table {@code gateway_leaders}
 * (this instance's id, its API's address, since when), where the other instances look it up to forward commands and to
 * show who leads. Holding a reference to the views, it releases them (and with them the locks or leases) only when it
 * stops, after the routes: a gateway is let go only once its connection is closed.
 */
public class GatewayLeaders extends ServiceSupport implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayLeaders.class);
    /** How often the records are made to match this instance's leadership again (after a database outage, say). */
    private static final long RECORD_INTERVAL_MS = 5_000;

    /** A gateway's leader as recorded: which instance, where its API is, since when; {@code local}: this one. */
    public record Leader(String instanceId, String url, Instant since, boolean local) {

        /** As {@code GET /api/gateways} shows it: {@code leader: {instanceId, since, local}}. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("instanceId", instanceId);
            m.put("since", since == null ? null : since.toString());
            m.put("local", local);
            return m;
        }
    }

    private final ClusterSettings settings;
    private final DataSource dataSource;
    private final List<String> gateways;
    private final CamelClusterService service;
    /** This instance's leadership of a gateway: since when, and its number (each new one has a greater number). */
    private record Term(Instant since, long number) {
    }

    /** The gateways this instance leads. */
    private final Map<String, Term> led = new ConcurrentHashMap<>();
    private final AtomicLong terms = new AtomicLong();
    private final List<CamelClusterView> views = new ArrayList<>();
    private final CamelClusterEventListener.Leadership listener = this::leadershipChanged;
    private CamelContext camelContext;
    private ScheduledExecutorService writer;

    /** {@code service}: the cluster service, null with {@code cluster.service=none}. */
    public GatewayLeaders(ClusterSettings settings, DataSource dataSource, List<String> gateways,
                          CamelClusterService service) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.gateways = List.copyOf(gateways);
        this.service = service;
    }

    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public ClusterSettings settings() {
        return settings;
    }

    /** True when several instances share the gateways. */
    public boolean clustered() {
        return service != null;
    }

    /** Whether this instance leads {@code gateway} (always, with one instance). */
    public boolean leadsHere(String gateway) {
        return service == null || led.containsKey(gateway);
    }

    /** Whether another instance leads {@code gateway} (or none does): a command for it goes to its leader. */
    public boolean elsewhere(String gateway) {
        return !leadsHere(gateway);
    }

    /**
     * The number of this instance's current leadership of {@code gateway} (a new one each time it takes the gateway;
     * 0 with one instance), or -1 while it does not lead it: what it wrote of the gateway is current while the number
     * is the same.
     */
    public long term(String gateway) {
        if (service == null) {
            return 0;
        }
        Term term = led.get(gateway);
        return term == null ? -1 : term.number();
    }

    /** The gateways this instance leads. */
    public List<String> ledHere() {
        return gateways.stream().filter(this::leadsHere).toList();
    }

    /** The recorded leader of {@code gateway}, null when none is (or with one instance, where there is no record). */
    public Leader leader(String gateway) throws SQLException {
        return service == null ? null : leaders().get(gateway);
    }

    /** Every recorded leader by gateway; empty with one instance. */
    public Map<String, Leader> leaders() throws SQLException {
        Map<String, Leader> leaders = new HashMap<>();
        if (service == null) {
            return leaders;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT gateway, instance_id, url, since FROM gateway_leaders");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String instance = rs.getString(2);
                leaders.put(rs.getString(1), new Leader(instance, rs.getString(3), rs.getTimestamp(4).toInstant(),
                        instance.equals(settings.instanceId())));
            }
        }
        return leaders;
    }

    @Override
    protected void doStart() throws Exception {
        if (service == null) {
            return;
        }
        writer = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "gateway-leaders");
        for (String gateway : gateways) {
            CamelClusterView view = service.getView(ClusterSettings.namespace(gateway));
            views.add(view);
            view.addEventListener(listener);
        }
        writer.scheduleWithFixedDelay(this::record, RECORD_INTERVAL_MS, RECORD_INTERVAL_MS, TimeUnit.MILLISECONDS);
        LOG.info("Cluster: {}; {} gateways, each led by one instance at a time", settings, gateways.size());
    }

    @Override
    protected void doStop() throws Exception {
        for (CamelClusterView view : views) {
            view.removeEventListener(listener);
            service.releaseView(view);
        }
        views.clear();
        if (writer != null) {
            camelContext.getExecutorServiceManager().shutdownGraceful(writer);
            writer = null;
        }
        led.clear();
        record();
    }

    private void leadershipChanged(CamelClusterView view, CamelClusterMember leader) {
        String gateway = view.getNamespace().substring(ClusterSettings.NAMESPACE_PREFIX.length());
        if (view.getLocalMember().isLeader()) {
            if (led.putIfAbsent(gateway, new Term(Instant.now(), terms.incrementAndGet())) == null) {
                LOG.info("Cluster: this instance ({}) leads gateway {} now: it connects", settings.instanceId(), gateway);
            }
        } else if (led.remove(gateway) != null) {
            LOG.info("Cluster: this instance ({}) no longer leads gateway {}: its connection is closed",
                    settings.instanceId(), gateway);
        }
        ScheduledExecutorService w = writer;
        if (w != null && !w.isShutdown()) {
            w.execute(this::record);
        }
    }

    /** Makes {@code gateway_leaders} say what this instance leads: its rows for those, none for the others. */
    private void record() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement lead = c.prepareStatement("""
                     INSERT INTO gateway_leaders (gateway, instance_id, url, since) VALUES (?, ?, ?, ?)
                     ON CONFLICT (gateway) DO UPDATE SET instance_id = EXCLUDED.instance_id, url = EXCLUDED.url,
                         since = EXCLUDED.since
                     WHERE gateway_leaders.instance_id <> EXCLUDED.instance_id
                        OR gateway_leaders.url <> EXCLUDED.url OR gateway_leaders.since <> EXCLUDED.since""");
             PreparedStatement letGo = c.prepareStatement(
                     "DELETE FROM gateway_leaders WHERE instance_id = ? AND gateway <> ALL(CAST(? AS text[]))")) {
            Map<String, Term> now = Map.copyOf(led);
            for (Map.Entry<String, Term> e : now.entrySet()) {
                lead.setString(1, e.getKey());
                lead.setString(2, settings.instanceId());
                lead.setString(3, settings.advertisedUrl());
                lead.setTimestamp(4, java.sql.Timestamp.from(e.getValue().since()));
                lead.addBatch();
            }
            if (!now.isEmpty()) {
                lead.executeBatch();
            }
            letGo.setString(1, settings.instanceId());
            letGo.setArray(2, c.createArrayOf("text", now.keySet().toArray()));
            letGo.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Cluster: cannot record which gateways this instance leads ({}); trying again in {} s",
                    e.getMessage(), RECORD_INTERVAL_MS / 1000);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String gateway : gateways) {
            Gauge.builder(Meters.PREFIX + "cluster.leader", this, l -> l.leadsHere(gateway) ? 1 : 0)
                    .tag("gateway", gateway)
                    .description("1 while this instance leads the gateway (holds its connection), else 0")
                    .register(registry);
        }
    }
}
