package dev.bigsegments.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hardening rules hold for the manifests as written, and each one fails when its property is broken. */
class HardeningRulesTest {
    private static final Path K8S = Path.of("..", "k8s");

    private List<Manifests.Document> documents;

    @BeforeEach
    void readBaseAndJobs() throws IOException {
        documents = new ArrayList<>();
        for (Path dir : List.of(K8S.resolve("base"), K8S.resolve("jobs"))) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml"))
                        .filter(f -> !f.getFileName().toString().equals("kustomization.yaml")).sorted().toList()) {
                    documents.addAll(Manifests.read(file));
                }
            }
        }
    }

    @Test
    void theManifestsAsWrittenKeepEveryRule() {
        assertThat(HardeningRules.check(documents)).isEmpty();
        assertThat(Workload.in(documents)).extracting(Workload::describe).hasSize(8)
                .anyMatch(d -> d.endsWith("StatefulSet/stream-processor"))
                .anyMatch(d -> d.endsWith("Job/bigsegments-rebuild-"));
    }

    @Test
    void aPodOrServiceAccountThatMountsAnApiTokenIsReported() {
        podSpec("Deployment", "store-writer").remove("automountServiceAccountToken");
        podSpec("Job", "bigsegments-verify-").addProperty("automountServiceAccountToken", true);
        object("ServiceAccount", "bigsegments-ingest-service").remove("automountServiceAccountToken");

        assertThat(HardeningRules.check(documents)).satisfiesExactlyInAnyOrder(
                e -> assertThat(e).contains("Deployment/store-writer").contains("mount a service account token"),
                e -> assertThat(e).contains("Job/bigsegments-verify-").contains("mount a service account token"),
                e -> assertThat(e).contains("ServiceAccount/bigsegments-ingest-service"));
    }

    @Test
    void aProbeOfHealthOnTheApiPortIsReported() {
        probe("Deployment", "ingest-service", "readinessProbe").addProperty("port", "http");
        probe("Deployment", "store-writer", "livenessProbe").addProperty("port", 8080);
        // The management port by number is the management port.
        probe("StatefulSet", "stream-processor", "readinessProbe").addProperty("port", 9000);

        assertThat(HardeningRules.check(documents)).satisfiesExactlyInAnyOrder(
                e -> assertThat(e).contains("Deployment/ingest-service").contains("readinessProbe")
                        .contains("/q/health/ready on port http"),
                e -> assertThat(e).contains("Deployment/store-writer").contains("livenessProbe")
                        .contains("port 8080"));
    }

    @Test
    void aServiceMonitorScrapingTheApiPortOrAServiceWithoutAManagementPortIsReported() {
        JsonObject endpoint = Json.array(Json.object(object("ServiceMonitor", "bigsegments"), "spec"), "endpoints")
                .get(0).getAsJsonObject();
        endpoint.addProperty("port", "http");
        JsonArray ports = Json.array(Json.object(object("Service", "store-writer"), "spec"), "ports");
        ports.get(0).getAsJsonObject().addProperty("name", "metrics");

        assertThat(HardeningRules.check(documents)).satisfiesExactlyInAnyOrder(
                e -> assertThat(e).contains("ServiceMonitor/bigsegments").contains("scrapes port http"),
                e -> assertThat(e).contains("Service/store-writer").contains("no port named management"));
    }

    @Test
    void storeEgressForAServiceOtherThanTheWriterIsReported() {
        JsonObject kafka = Json.array(Json.object(object("NetworkPolicy", "bigsegments-egress"), "spec"), "egress")
                .get(1).getAsJsonObject();
        Json.array(kafka, "ports").add(JsonParser.parseString("{\"protocol\": \"TCP\", \"port\": 6379}"));

        assertThat(HardeningRules.check(documents)).satisfiesExactlyInAnyOrder(
                e -> assertThat(e).contains("Deployment/ingest-service").contains("store port 6379")
                        .contains("NetworkPolicy bigsegments-egress"),
                e -> assertThat(e).contains("StatefulSet/stream-processor").contains("store port 6379"));
    }

    @Test
    void anEgressRuleWithoutPortsOrNoEgressPolicyAtAllOpensTheStore() {
        JsonObject policy = object("NetworkPolicy", "bigsegments-egress");
        Json.array(Json.object(policy, "spec"), "egress").add(new JsonObject());
        assertThat(HardeningRules.check(documents)).hasSize(6)
                .allMatch(e -> e.contains("ingest-service") || e.contains("stream-processor"));

        documents.removeIf(d -> "NetworkPolicy".equals(Json.string(d.object(), "kind")));
        assertThat(HardeningRules.check(documents)).hasSize(6)
                .allMatch(e -> e.contains("no egress policy selects it"));
    }

    @Test
    void theWriterAndTheStoreJobsWithoutStoreEgressAreReported() {
        documents.removeIf(d -> d.describe().endsWith("NetworkPolicy/bigsegments-store-egress"));

        List<String> errors = HardeningRules.check(documents);
        assertThat(errors).filteredOn(e -> e.contains("Deployment/store-writer"))
                .hasSize(3).allMatch(e -> e.contains("needs egress to store port"));
        assertThat(errors).filteredOn(e -> e.contains("Job/bigsegments-rebuild-"))
                .extracting(e -> e.replaceAll(".*store port (\\d+).*", "$1")).containsExactlyInAnyOrder("6379", "6380");
        assertThat(errors).noneMatch(e -> e.contains("bigsegments-replay-") || e.contains("create-topics"));
    }

    private JsonObject object(String kind, String name) {
        return documents.stream().filter(d -> d.describe().endsWith(" " + kind + "/" + name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name)).object();
    }

    private JsonObject podSpec(String kind, String name) {
        return Json.object(Json.object(Json.object(object(kind, name), "spec"), "template"), "spec");
    }

    private JsonObject probe(String kind, String name, String probe) {
        JsonObject container = Json.array(podSpec(kind, name), "containers").get(0).getAsJsonObject();
        return Json.object(Json.object(container, probe), "httpGet");
    }
}
