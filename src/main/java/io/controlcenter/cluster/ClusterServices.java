package io.controlcenter.cluster;

import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;

/** The Camel cluster service {@code cluster.service} names, configured from {@code cluster.file.*} or {@code cluster.kubernetes.*}. */
final class ClusterServices {

    private ClusterServices() {
    }

    static CamelClusterService create(ClusterSettings settings) {
        CamelClusterService service = switch (settings.service()) {
            case file -> file(settings.file());
            case kubernetes -> kubernetes(settings.kubernetes());
            case none -> throw new IllegalArgumentException("cluster.service=none has no cluster service");
        };
        service.setId(settings.instanceId());
        return service;
    }

    /**
     * A lock file per gateway in {@code root}: the leader holds an operating-system lock on it and writes a heartbeat
     * every {@code acquire-lock-interval}; the others try every interval, once the heartbeat is older than
     * {@code heartbeat-timeout-multiplier} intervals (a leader that was killed). A leader that is only paused keeps the
     * lock (the kernel holds it for the process), so no other instance connects meanwhile.
     */
    private static FileLockClusterService file(ClusterSettings.File file) {
        FileLockClusterService service = new FileLockClusterService();
        service.setRoot(file.root());
        service.setAcquireLockInterval(file.acquireLockIntervalMs(), TimeUnit.MILLISECONDS);
        service.setAcquireLockDelay(file.acquireLockDelayMs(), TimeUnit.MILLISECONDS);
        service.setHeartbeatTimeoutMultiplier(file.heartbeatTimeoutMultiplier());
        return service;
    }

    /**
     * A coordination.k8s.io Lease per gateway, named {@code <lease-prefix>-cc-gateway-<name>}; the candidates are the
     * ready pods with {@code pod-labels}. A leader that cannot renew its lease within {@code renew-deadline} lets the
     * gateway go (and closes its connection) before the lease expires for the others ({@code lease-duration}).
     */
    private static KubernetesClusterService kubernetes(ClusterSettings.Kubernetes k) {
        KubernetesClusterService service = new KubernetesClusterService();
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(k.leasePrefix());
        if (!k.namespace().isEmpty()) {
            service.setKubernetesResourcesNamespace(k.namespace());
        }
        if (!k.podName().isEmpty()) {
            service.setPodName(k.podName());
        }
        service.setClusterLabels(k.labels());
        service.setLeaseDurationMillis(k.leaseDurationMs());
        service.setRenewDeadlineMillis(k.renewDeadlineMs());
        service.setRetryPeriodMillis(k.retryPeriodMs());
        return service;
    }
}
