package io.controlcenter.cluster;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.controlcenter.config.ConfigurationException;
import io.controlcenter.config.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The {@code cluster.*} keys: whether several instances share the gateways ({@code cluster.service}: {@code none},
 * {@code file} or {@code kubernetes}), this instance's name and the address the others reach its API at, and the
 * settings of the chosen cluster service. With {@code none} (the default) nothing else is read and nothing changes.
 * Several instances need one PostgreSQL server ({@code db.url}): the start fails without it.
 */
public record ClusterSettings(Service service, String instanceId, String advertisedUrl, long forwardTimeoutMs,
                              long writerPauseLimitMs, File file, Kubernetes kubernetes) {

    public static final String PREFIX = "cluster.";
    /** The namespace (lock, lease) of a gateway's leadership: one per gateway, so leaders spread over instances. */
    public static final String NAMESPACE_PREFIX = "cc-gateway-";

    /** Which Camel cluster service elects each gateway's leader. */
    public enum Service {
        /** One instance: it leads every gateway, as without this feature. */
        none,
        /** camel-file's FileLockClusterService: a lock file per gateway in a directory all instances share. */
        file,
        /** camel-kubernetes' KubernetesClusterService: a coordination.k8s.io Lease per gateway. */
        kubernetes
    }

    /** {@code cluster.file.*}: the shared directory, and how often the leader beats and the others try. */
    public record File(String root, long acquireLockIntervalMs, int heartbeatTimeoutMultiplier, long acquireLockDelayMs) {

        /** How long a leader that stopped beating (killed) keeps its gateways: the "lease" of the file service. */
        public long staleAfterMs() {
            return acquireLockIntervalMs * heartbeatTimeoutMultiplier;
        }
    }

    /** {@code cluster.kubernetes.*}: where the Leases are and their timing. */
    public record Kubernetes(String namespace, String leasePrefix, String podName, Map<String, String> labels,
                             long leaseDurationMs, long renewDeadlineMs, long retryPeriodMs) {
    }

    public static ClusterSettings load(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        Settings s = new Settings(pc, PREFIX);
        Service service = s.value("service", Service.none, v -> Service.valueOf(v.toLowerCase(Locale.ROOT)), v -> true,
                "none, file or kubernetes");
        String port = pc.resolveProperty("camel.server.port").orElse("8080").trim();
        String host = pc.resolveProperty("camel.server.host").orElse("0.0.0.0").trim();
        String instanceId = s.string("instance-id", hostName() + ":" + port);
        String url = s.string("advertised-url", "http://" + (wildcard(host) ? hostName() : host) + ":" + port);
        if (!url.matches("https?://[^/?#]+/?")) {
            throw new ConfigurationException(PREFIX + "advertised-url (CC_ADVERTISED_URL): '" + url
                    + "' is not http(s)://host:port");
        }
        long forward = s.millis("forward-timeout", 35_000);
        long pauseLimit = s.millis("writer-pause-limit", 10_000);
        if (service == Service.none) {
            return new ClusterSettings(service, instanceId, trim(url), forward, pauseLimit, null, null);
        }
        if (pc.resolveProperty("db.url").map(String::isBlank).orElse(true)) {
            throw new ConfigurationException(PREFIX + "service (CC_CLUSTER_SERVICE) is " + service + ", but db.url "
                    + "(DB_URL) is not set: several instances share one PostgreSQL server, not each its embedded one");
        }
        Settings f = new Settings(pc, PREFIX + "file.");
        File file = null;
        if (service == Service.file) {
            String root = f.string("root", "");
            if (root.isEmpty()) {
                throw new ConfigurationException(PREFIX + "file.root (CC_CLUSTER_FILE_ROOT) is not set: the directory "
                        + "all instances share for their lock files");
            }
            file = new File(root, f.millis("acquire-lock-interval", 2_000),
                    f.between("heartbeat-timeout-multiplier", 3, 1, 100), f.millis("acquire-lock-delay", 1_000));
        }
        Kubernetes kubernetes = service == Service.kubernetes ? kubernetes(new Settings(pc, PREFIX + "kubernetes.")) : null;
        return new ClusterSettings(service, instanceId, trim(url), forward, pauseLimit, file, kubernetes);
    }

    private static Kubernetes kubernetes(Settings k) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : k.string("pod-labels", "app.kubernetes.io/name=control-center").split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new ConfigurationException(PREFIX + "kubernetes.pod-labels: '" + pair + "' is not name=value");
            }
            labels.put(kv[0].trim(), kv[1].trim());
        }
        Kubernetes kubernetes = new Kubernetes(k.string("namespace", ""), k.string("lease-prefix", "control-center"),
                k.string("pod-name", ""), labels, k.millis("lease-duration", 15_000), k.millis("renew-deadline", 10_000),
                k.millis("retry-period", 2_000));
        if (kubernetes.leaseDurationMs() <= kubernetes.renewDeadlineMs()
                || kubernetes.renewDeadlineMs() <= 1.2 * kubernetes.retryPeriodMs()) {
            throw new ConfigurationException(PREFIX + "kubernetes: lease-duration (" + kubernetes.leaseDurationMs()
                    + " ms) must be longer than renew-deadline (" + kubernetes.renewDeadlineMs() + " ms), and that "
                    + "longer than 1.2 x retry-period (" + kubernetes.retryPeriodMs() + " ms)");
        }
        return kubernetes;
    }

    /** True when several instances share the gateways. */
    public boolean clustered() {
        return service != Service.none;
    }

    /**
     * What goes before a per-gateway consumer's URI in the route templates ({@code {{leadership}}}): nothing with
     * {@code none}, else {@code master:cc-gateway-<name>:}, so that the consumer runs only where the gateway is led.
     */
    public String leadership(String gateway) {
        return clustered() ? "master:" + namespace(gateway) + ":" : "";
    }

    public static String namespace(String gateway) {
        return NAMESPACE_PREFIX + gateway;
    }

    /** The longest a leader that died keeps its gateways before another instance may take them. */
    public long leaseMs() {
        return switch (service) {
            case none -> 0;
            case file -> file.staleAfterMs() + file.acquireLockIntervalMs();
            case kubernetes -> kubernetes.leaseDurationMs() + kubernetes.retryPeriodMs();
        };
    }

    private static boolean wildcard(String host) {
        return host.isEmpty() || "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host);
    }

    private static String trim(String url) {
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url).toString();
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public String toString() {
        return clustered() ? "instance " + instanceId + " at " + advertisedUrl + ", leadership by the " + service
                + " cluster service" : "one instance (cluster.service=none)";
    }
}
