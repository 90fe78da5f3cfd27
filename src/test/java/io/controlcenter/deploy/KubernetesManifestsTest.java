package io.controlcenter.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What deploy/kubernetes/ gives a user who applies it (no cluster here: the manifests are read and checked): a
 * Deployment of two instances with the Kubernetes cluster service, reachable by the others at their pod address; a
 * Service in front of them; the ServiceAccount, Role and RoleBinding the Leases need; application.properties as a
 * ConfigMap mounted over the built-in one, whose every key is one Control Center has; the tokens and the database
 * password from a Secret; liveness and readiness probes on /observe/health/*.
 */
@SuppressWarnings("unchecked")
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("deploy/kubernetes");
    private static final String APP_LABEL = "app.kubernetes.io/name";
    private static final List<Map<String, Object>> DOCUMENTS = new ArrayList<>();

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                    if (doc != null) {
                        DOCUMENTS.add((Map<String, Object>) doc);
                    }
                }
            }
        }
    }

    @Test
    void kustomizationAppliesEveryManifest() throws IOException {
        List<Object> resources = list(one("Kustomization"), "resources");
        try (Stream<Path> files = Files.list(DIR)) {
            assertEquals(files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("kustomization.yaml"))
                    .sorted().toList(), resources.stream().map(String::valueOf).sorted().toList());
        }
    }

    @Test
    void twoInstancesWithTheKubernetesClusterService() throws IOException {
        Map<String, Object> deployment = one("Deployment");
        Map<String, Object> spec = map(deployment, "spec");
        assertEquals(2, spec.get("replicas"));
        String app = (String) map(map(spec, "selector"), "matchLabels").get(APP_LABEL);
        Map<String, Object> pod = map(map(spec, "template"), "spec");
        assertEquals(app, map(map(map(spec, "template"), "metadata"), "labels").get(APP_LABEL));
        assertEquals(name(one("ServiceAccount")), pod.get("serviceAccountName"));

        Properties settings = settings();
        assertEquals("kubernetes", settings.getProperty("cluster.service"));
        assertEquals(APP_LABEL + "=" + app, settings.getProperty("cluster.kubernetes.pod-labels"),
                "the pods that may lead are the Deployment's");
        assertTrue(settings.getProperty("db.url").startsWith("jdbc:postgresql://"), "one shared PostgreSQL server");

        Map<String, Object> container = (Map<String, Object>) list(pod, "containers").get(0);
        Map<String, Object> env = env(container);
        assertEquals("status.podIP", fieldRef(env.get("POD_IP")));
        assertEquals("http://$(POD_IP):8080", env.get("CC_ADVERTISED_URL"), "the others reach it at its pod address");
        assertEquals("metadata.name", fieldRef(env.get("CC_INSTANCE_ID")));
        assertEquals("metadata.name", fieldRef(env.get("CC_POD_NAME")), "the Lease holder is the pod");
        assertEquals("0.0.0.0", env.get("CC_BIND"));
        assertEquals(8080, ((Map<String, Object>) list(container, "ports").get(0)).get("containerPort"));
    }

    @Test
    void settingsFromTheConfigMapSecretsFromTheSecret() throws IOException {
        Map<String, Object> pod = map(map(map(one("Deployment"), "spec"), "template"), "spec");
        Map<String, Object> container = (Map<String, Object>) list(pod, "containers").get(0);
        Map<String, Object> mount = (Map<String, Object>) list(container, "volumeMounts").get(0);
        assertEquals("/app/application.properties", mount.get("mountPath"));
        assertEquals("application.properties", mount.get("subPath"));
        Map<String, Object> volume = (Map<String, Object>) list(pod, "volumes").get(0);
        assertEquals(mount.get("name"), volume.get("name"));
        assertEquals(name(one("ConfigMap")), map(volume, "configMap").get("name"));

        Properties defaults = new Properties();
        defaults.load(new StringReader(Files.readString(Path.of("application.properties"))));
        for (String key : settings().stringPropertyNames()) {
            assertTrue(defaults.containsKey(key), key + " is not a key of application.properties");
        }
        assertEquals(name(one("Secret")), map((Map<String, Object>) list(container, "envFrom").get(0), "secretRef")
                .get("name"));
        Map<String, Object> secrets = map(one("Secret"), "stringData");
        for (String key : List.of("OPENCLAW_GATEWAY_TOKEN", "CC_API_TOKEN", "DB_PASSWORD")) {
            assertNotNull(secrets.get(key), key + " in the Secret");
            assertTrue(!settings().toString().contains(String.valueOf(secrets.get(key))), key + " not in the ConfigMap");
        }
    }

    @Test
    void probesOnTheHealthEndpoints() {
        Map<String, Object> pod = map(map(map(one("Deployment"), "spec"), "template"), "spec");
        Map<String, Object> container = (Map<String, Object>) list(pod, "containers").get(0);
        assertTrue(probe(container, "livenessProbe").contains("/observe/health/live"));
        assertTrue(probe(container, "readinessProbe").contains("/observe/health/ready"));
        assertTrue(probe(container, "readinessProbe").contains("$CC_API_TOKEN"), "the token from the environment");
    }

    @Test
    void theServiceAccountMayHoldLeasesAndListPods() {
        Map<String, Object> role = one("Role");
        boolean leases = false;
        boolean pods = false;
        for (Object r : list(role, "rules")) {
            Map<String, Object> rule = (Map<String, Object>) r;
            List<Object> verbs = list(rule, "verbs");
            if (list(rule, "apiGroups").contains("coordination.k8s.io") && list(rule, "resources").contains("leases")) {
                leases = verbs.containsAll(List.of("get", "list", "create", "update", "patch"));
            }
            if (list(rule, "apiGroups").contains("") && list(rule, "resources").contains("pods")) {
                pods = verbs.containsAll(List.of("get", "list"));
            }
        }
        assertTrue(leases && pods, "leases: get, list, create, update, patch; pods: get, list");
        Map<String, Object> binding = one("RoleBinding");
        assertEquals(name(role), map(binding, "roleRef").get("name"));
        Map<String, Object> subject = (Map<String, Object>) list(binding, "subjects").get(0);
        assertEquals("ServiceAccount", subject.get("kind"));
        assertEquals(name(one("ServiceAccount")), subject.get("name"));
    }

    @Test
    void theServiceReachesTheInstances() {
        Map<String, Object> spec = map(one("Service"), "spec");
        Map<String, Object> deployment = map(one("Deployment"), "spec");
        assertEquals(map(map(deployment, "selector"), "matchLabels"), map(spec, "selector"));
        assertEquals(8080, ((Map<String, Object>) list(spec, "ports").get(0)).get("port"));
    }

    private static Properties settings() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader((String) map(one("ConfigMap"), "data").get("application.properties")));
        return p;
    }

    private static String probe(Map<String, Object> container, String name) {
        return String.valueOf(map(map(container, name), "exec").get("command"));
    }

    private static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        for (Object e : list(container, "env")) {
            Map<String, Object> var = (Map<String, Object>) e;
            env.put((String) var.get("name"), var.containsKey("value") ? var.get("value") : var.get("valueFrom"));
        }
        return env;
    }

    private static String fieldRef(Object valueFrom) {
        return (String) map((Map<String, Object>) valueFrom, "fieldRef").get("fieldPath");
    }

    private static Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = DOCUMENTS.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(1, found.size(), "one " + kind + " in " + DIR);
        return found.get(0);
    }

    private static String name(Map<String, Object> resource) {
        return (String) map(resource, "metadata").get("name");
    }

    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof Map, key + " is not a mapping in " + m);
        return (Map<String, Object>) v;
    }

    private static List<Object> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof List, key + " is not a list in " + m);
        return (List<Object>) v;
    }
}
