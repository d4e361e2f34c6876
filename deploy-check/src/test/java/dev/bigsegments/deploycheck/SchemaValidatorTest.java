package dev.bigsegments.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {
    private static final Path BASE = Path.of("..", "k8s", "base");

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
            spec:
              selector:
                matchLabels: {app: d}
              template:
                metadata:
                  labels: {app: d}
                spec:
                  containers:
                    - name: c
                      image: example/c
                      resources:
                        requests: {cpu: 500m, memory: 1Gi}
                      readinessProbe:
                        httpGet: {path: /q/health/ready, port: management}
            """;

    private static final String SERVICE_MONITOR = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata:
              name: m
            spec:
              selector:
                matchLabels: {app: d}
              endpoints:
                - port: management
                  path: /q/metrics
            """;

    @Test
    void everyBaseObjectIsValid() throws IOException {
        List<String> errors = new ArrayList<>();
        int objects = 0;
        try (Stream<Path> files = Files.list(BASE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml")).toList()) {
                for (Manifests.Document doc : Manifests.read(file)) {
                    objects++;
                    SchemaValidator.validate(doc.object()).ifPresent(e -> errors.add(doc.describe() + ": " + e));
                }
            }
        }
        assertThat(errors).isEmpty();
        assertThat(objects).isGreaterThan(15);
    }

    @Test
    void acceptsValidObjects() throws IOException {
        assertThat(validate(DEPLOYMENT)).isEmpty();
        assertThat(validate(SERVICE_MONITOR)).isEmpty();
    }

    @Test
    void rejectsAnUnknownFieldAtAnyDepth() throws IOException {
        assertThat(validate(DEPLOYMENT.replace("      image: example/c", "      image: example/c\n          imagePolicy: x")))
                .hasValueSatisfying(e -> assertThat(e).contains("imagePolicy").contains("V1Container"));
        assertThat(validate(DEPLOYMENT.replace("spec:\n  selector:", "spec:\n  replica: 2\n  selector:")))
                .hasValueSatisfying(e -> assertThat(e).contains("replica").contains("V1DeploymentSpec"));
        assertThat(validate(DEPLOYMENT.replace("{path: /q/health/ready, port: management}",
                "{path: /q/health/ready, port: management, timeout: 3}")))
                .hasValueSatisfying(e -> assertThat(e).contains("timeout"));
    }

    @Test
    void rejectsAMissingRequiredField() throws IOException {
        assertThat(validate(DEPLOYMENT.replace("- name: c\n          image:", "- image:")))
                .hasValueSatisfying(e -> assertThat(e).contains("required field `name`"));
        assertThat(validate(DEPLOYMENT.replace("  name: d\nspec", "  labels: {}\nspec")))
                .hasValueSatisfying(e -> assertThat(e).contains("metadata.name"));
        assertThat(validate(DEPLOYMENT.replace("  name: d\nspec", "  generateName: d-\nspec"))).isEmpty();
    }

    @Test
    void rejectsUnknownKindsAndUnknownCustomResourceFields() throws IOException {
        assertThat(validate(DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnt")))
                .hasValueSatisfying(e -> assertThat(e).contains("no schema"));
        assertThat(validate(SERVICE_MONITOR.replace("kind: ServiceMonitor", "kind: PodMonitor")))
                .hasValueSatisfying(e -> assertThat(e).contains("no schema"));
        assertThat(validate(SERVICE_MONITOR.replace("path: /q/metrics", "path: /q/metrics\n      metricsPath: /x")))
                .hasValueSatisfying(e -> assertThat(e).contains("metricsPath").contains("Endpoint"));
        assertThat(validate(SERVICE_MONITOR.replace("  selector:\n    matchLabels: {app: d}\n", "")))
                .hasValueSatisfying(e -> assertThat(e).contains("selector"));
    }

    private static Optional<String> validate(String yaml) throws IOException {
        List<Manifests.Document> docs = Manifests.read("test", new StringReader(yaml));
        assertThat(docs).hasSize(1);
        JsonObject object = docs.get(0).object();
        return SchemaValidator.validate(object);
    }
}
