package dev.voxgate.dist;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes parsed into the Kubernetes API's own types (fabric8's models, generated from the API's schema)
 * with nothing left over: a misspelt or misplaced field ends in the models' "additional properties", which this
 * test refuses. Then the policies that matter, checked across the files: probes on the right paths, a grace period
 * longer than the server's drain, non-root and read-only, selectors that select, timeouts fit for WebSockets.
 */
class KubernetesManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Path DIR = Path.of(System.getProperty("voxgate.repo.root", "..")).resolve("deploy/kubernetes");

    private static <T> T read(String file, Class<T> type) throws IOException {
        T value = YAML.readValue(DIR.resolve(file).toFile(), type);
        List<String> unknown = new ArrayList<>();
        strict(value, file, unknown);
        assertThat(unknown).as("fields the Kubernetes API does not have").isEmpty();
        return value;
    }

    @Test
    void everyFileIsAKnownKindWithOnlyKnownFields() throws IOException {
        read("configmap.yaml", ConfigMap.class);
        read("secret.example.yaml", Secret.class);
        read("deployment.yaml", Deployment.class);
        read("service.yaml", Service.class);
        read("ingress.yaml", Ingress.class);
        read("pdb.yaml", PodDisruptionBudget.class);
        JsonNode kustomization = YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
        List<String> listed = new ArrayList<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        try (Stream<Path> files = Files.list(DIR)) {
            List<String> manifests = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml") && !n.contains(".example."))
                    .sorted().toList();
            assertThat(listed).as("kustomization.yaml lists every manifest (the Secret is the user's own)")
                    .containsExactlyInAnyOrderElementsOf(manifests);
        }
    }

    @Test
    void theDeploymentDrainsBeforeItIsKilledAndProbesTheRightPaths() throws IOException {
        Deployment d = read("deployment.yaml", Deployment.class);
        ConfigMap settings = read("configmap.yaml", ConfigMap.class);
        var pod = d.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        long grace = Long.parseLong(settings.getData().get("SHUTDOWN_GRACE_MS"));
        long preStop = Long.parseLong(c.getLifecycle().getPreStop().getExec().getCommand().get(1)) * 1000;
        assertThat(pod.getTerminationGracePeriodSeconds() * 1000)
                .as("terminationGracePeriodSeconds covers the preStop pause and SHUTDOWN_GRACE_MS")
                .isGreaterThan(preStop + grace);
        assertThat(c.getPorts()).anyMatch(p -> p.getContainerPort() == 8080 && "http".equals(p.getName()));
        assertThat(d.getSpec().getSelector().getMatchLabels())
                .isEqualTo(d.getSpec().getTemplate().getMetadata().getLabels());
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
                .as("a rollout never drops below the replicas serving").isZero();
    }

    @Test
    void thePodRunsAsNonRootOnAReadOnlyRootWithResourcesRequested() throws IOException {
        var pod = read("deployment.yaml", Deployment.class).getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getVolumeMounts()).as("writable places on a read-only root")
                .anyMatch(m -> m.getMountPath().equals("/tmp"))
                .anyMatch(m -> m.getMountPath().equals("/var/lib/voxgate"));
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKey("memory").doesNotContainKey("cpu");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void serviceIngressAndBudgetSelectThePods() throws IOException {
        Deployment d = read("deployment.yaml", Deployment.class);
        Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
        Service s = read("service.yaml", Service.class);
        assertThat(labels).containsAllEntriesOf(s.getSpec().getSelector());
        String target = s.getSpec().getPorts().get(0).getTargetPort().getStrVal();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                .anyMatch(p -> target.equals(p.getName()));
        PodDisruptionBudget pdb = read("pdb.yaml", PodDisruptionBudget.class);
        assertThat(labels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isLessThan(d.getSpec().getReplicas());

        Ingress ing = read("ingress.yaml", Ingress.class);
        var backend = ing.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
        assertThat(backend.getName()).isEqualTo(s.getMetadata().getName());
        assertThat(backend.getPort().getName()).isEqualTo(s.getSpec().getPorts().get(0).getName());
        Map<String, String> a = ing.getMetadata().getAnnotations();
        assertThat(Integer.parseInt(a.get("nginx.ingress.kubernetes.io/proxy-read-timeout")))
                .as("WebSocket sessions last up to an hour").isGreaterThanOrEqualTo(3600);
        int maxFileMb = Integer.parseInt(read("configmap.yaml", ConfigMap.class).getData().get("MAX_FILE_SIZE_MB"));
        assertThat(Integer.parseInt(a.get("nginx.ingress.kubernetes.io/proxy-body-size").replace("m", "")))
                .as("uploads up to MAX_FILE_SIZE_MB pass").isGreaterThanOrEqualTo(maxFileMb);
    }

    @Test
    void secretsStayOutOfTheConfigMap() throws IOException {
        ConfigMap settings = read("configmap.yaml", ConfigMap.class);
        assertThat(settings.getData().keySet()).doesNotContain("DATABASE_URL", "REDIS_URL", "METRICS_TOKEN",
                "AWS_SECRET_ACCESS_KEY", "UPSTREAM_API_KEY", "OPENAI_API_KEY");
    }

    /** Walks a parsed model: any field the model did not know is in some object's additional properties. */
    private static void strict(Object o, String path, List<String> unknown) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> strict(v, path + "." + k, unknown));
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object v : c) strict(v, path + "[" + i++ + "]", unknown);
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) return;
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) continue;
            Object value;
            try {
                value = m.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue; // a computed getter (Quantity's numerical amount) that has nothing to check
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) unknown.add(path + ": " + extra.keySet());
            } else {
                strict(value, path + "." + m.getName().substring(3), unknown);
            }
        }
    }
}
