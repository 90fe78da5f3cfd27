package io.controlcenter.cluster;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The settings deploy/kubernetes/ gives each pod (its ConfigMap, and the pod's name and namespace as the Deployment
 * sets them) make camel-kubernetes' cluster service hold a coordination.k8s.io Lease per gateway, named
 * {@code control-center-cc-gateway-<name>} in the pod's namespace, held by the pod, with the Deployment's pods as
 * candidates and the timing of the ConfigMap (what Camel 4.17 checks when it starts a view: lease-duration above
 * renew-deadline, renew-deadline above 1.2 retry-periods).
 */
class KubernetesClusterServiceTest {

    @Test
    @SuppressWarnings("unchecked")
    void theDeploymentsSettingsMakeALeasePerGatewayHeldByThePod() throws IOException {
        Map<String, Object> configMap = new Yaml().load(Files.readString(Path.of("deploy/kubernetes/configmap.yaml")));
        Properties p = new Properties();
        p.load(new StringReader((String) ((Map<String, Object>) configMap.get("data")).get("application.properties")));
        // what the Deployment sets from the pod (CC_INSTANCE_ID, CC_POD_NAME, CC_KUBERNETES_NAMESPACE, CC_ADVERTISED_URL)
        p.setProperty("cluster.instance-id", "control-center-7d9f-x2");
        p.setProperty("cluster.kubernetes.pod-name", "control-center-7d9f-x2");
        p.setProperty("cluster.kubernetes.namespace", "agents");
        p.setProperty("cluster.advertised-url", "http://10.1.2.3:8080");
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(p);

        ClusterSettings settings = ClusterSettings.load(context);
        CamelClusterService service = ClusterServices.create(settings);

        KubernetesClusterService k = assertInstanceOf(KubernetesClusterService.class, service);
        assertEquals(LeaseResourceType.Lease, k.getLeaseResourceType());
        // Camel names the Lease <kubernetesResourceName>-<namespace of master:>, the namespace cc-gateway-<gateway>
        assertEquals("control-center", k.getKubernetesResourceName());
        assertEquals("master:cc-gateway-default:", settings.leadership("default"));
        assertEquals("agents", k.getKubernetesResourcesNamespace());
        assertEquals("control-center-7d9f-x2", k.getPodName(), "the Lease's holder is the pod");
        assertEquals("control-center-7d9f-x2", k.getId());
        assertEquals(Map.of("app.kubernetes.io/name", "control-center"), k.getClusterLabels());
        assertEquals(15_000, k.getLeaseDurationMillis());
        assertEquals(10_000, k.getRenewDeadlineMillis());
        assertEquals(2_000, k.getRetryPeriodMillis());
        assertEquals(17_000, settings.leaseMs(), "a killed leader's gateway is free after the lease and one retry");
    }
}
