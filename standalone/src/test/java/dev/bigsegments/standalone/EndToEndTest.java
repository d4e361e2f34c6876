package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.PipelineTestResource.ENV_ID;
import static dev.bigsegments.standalone.PipelineTestResource.PREFIX;
import static dev.bigsegments.standalone.PipelineTestResource.TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.launchdarkly.sdk.EvaluationReason.BigSegmentsStatus;
import dev.bigsegments.ingest.publish.CommandPublisher;
import dev.bigsegments.ingest.publish.PipelineClient;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ImportAbort;
import dev.bigsegments.schemas.avro.ImportBegin;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.testkit.RedisBigSegmentStoreReader;
import dev.bigsegments.testkit.SdkProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole path in one process, as the standalone runs it: HTTP → Kafka → Kafka Streams → Kafka →
 * Redis, checked key by key in Redis and through the LaunchDarkly SDK's evaluation.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineTestResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {
    private static final String BASE = "/api/v2/segments/proj/test";
    private static final String SEGMENT = "e2e-seg";
    private static final String REF = SEGMENT + ".g1";
    private static final int KEYS = 100_000;

    @Inject
    PipelineClient pipeline;

    /** Health and metrics, on the management interface (its root path, /q, is prefixed), not on the API port. */
    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @Test
    @Order(1)
    void aReplaceImportPutsEveryHashUnderTheRightKeysAndASecondReplaceAppliesExactlyTheDifference()
            throws Exception {
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"key\":\"" + SEGMENT + "\",\"name\":\"E2E\",\"unbounded\":true,\"unboundedContextKind\":\"user\"}")
                .post(BASE).then().statusCode(201);

        Map<String, Object> first = runImport(csv(0, KEYS), "replace");
        assertThat(first).containsEntry("status", "complete").containsEntry("added", KEYS).containsEntry("removed", 0);
        assertStoreHoldsExactly(0, KEYS);

        Map<String, Object> second = runImport(csv(KEYS / 10, KEYS + KEYS / 10), "replace");
        assertThat(second).containsEntry("added", KEYS / 10).containsEntry("removed", KEYS / 10);
        assertStoreHoldsExactly(KEYS / 10, KEYS + KEYS / 10);
    }

    @Test
    @Order(2)
    void theSdkReadsTheStoreHealthyAndNeverMatchesAnotherGeneration() {
        waitForStamp();
        var reader = new RedisBigSegmentStoreReader(SharedServices.redis().uri(), PREFIX);
        try (SdkProbe current = SdkProbe.forSegment(SEGMENT, 1, reader, Duration.ofMinutes(2));
                SdkProbe otherGeneration = SdkProbe.forSegment(SEGMENT, 2, reader, Duration.ofMinutes(2))) {
            var imported = current.evaluate("user-" + (KEYS / 2));
            assertThat(imported.value()).isTrue();
            assertThat(imported.status()).isEqualTo(BigSegmentsStatus.HEALTHY);
            var dropped = current.evaluate("user-5");
            assertThat(dropped.value()).isFalse();
            assertThat(dropped.status()).isEqualTo(BigSegmentsStatus.HEALTHY);
            assertThat(otherGeneration.evaluate("user-" + (KEYS / 2)).value()).isFalse();
        }
    }

    @Test
    @Order(3)
    void theSdkReportsStaleWhileASyncIsPendingAndHealthyAgainOnceCaughtUp() {
        waitForStamp();
        SegmentId segment = new SegmentId(ENV_ID, SEGMENT);
        var reader = new RedisBigSegmentStoreReader(SharedServices.redis().uri(), PREFIX);
        try (SdkProbe sdk = SdkProbe.forSegment(SEGMENT, 1, reader, Duration.ofSeconds(2))) {
            pipeline.publisher().sendAndWait(CommandPublisher.command(segment, null,
                    new ImportBegin("pending-import", ImportMode.MERGE, "slow.csv")));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(sdk.evaluate("user-" + (KEYS / 2)).status()).isEqualTo(BigSegmentsStatus.STALE));
            assertThat(sdk.evaluate("user-" + (KEYS / 2)).value()).isTrue();

            pipeline.publisher().sendAndWait(CommandPublisher.command(segment, null,
                    new ImportAbort("pending-import", "test finished", null)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(sdk.evaluate("user-" + (KEYS / 2)).status()).isEqualTo(BigSegmentsStatus.HEALTHY));
        }
    }

    @Test
    @Order(4)
    void metricsCountImportedKeysAndShowTheAgeOfSynchronizedOnPerEnvironment() {
        String scraped = given().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scraped).containsPattern("bigsegments_ingest_keys_total\\{[^}]*kind=\"import\"[^}]*} [1-9]");
        assertThat(scraped).containsPattern("bigsegments_ingest_csv_rows_total\\{[^}]*outcome=\"accepted\"[^}]*} [1-9]");
        assertThat(scraped).containsPattern(
                "bigsegments_writer_synchronized_age_seconds\\{[^}]*environment=\"" + ENV_ID + "\"[^}]*} [0-9]");
        assertThat(scraped).containsPattern("bigsegments_writer_operations_total\\{[^}]*op=\"add\"[^}]*} [1-9]");
    }

    @Test
    @Order(5)
    void healthAndMetricsAreServedOnTheManagementPortOnly() {
        assertThat(ready.getPath()).isEqualTo("/q/health/ready");
        assertThat(ready.getPort()).isNotEqualTo(RestAssured.port);
        given().get(ready).then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    private void waitForStamp() {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            String stamp = RedisSnapshot.get(SharedServices.redis().uri(), PREFIX + ":big_segments_synchronized_on");
            return stamp != null && System.currentTimeMillis() - Long.parseLong(stamp) < 5_000;
        });
    }

    private Map<String, Object> runImport(Path file, String mode) {
        Response started = given().header("Authorization", TOKEN).multiPart("file", file.toFile(), "text/csv")
                .multiPart("mode", mode).post(BASE + "/" + SEGMENT + "/imports");
        assertThat(started.statusCode()).isEqualTo(204);
        String location = started.header("Location");
        assertThat(location).contains(BASE + "/" + SEGMENT + "/imports/");
        Map<String, Object> last = new HashMap<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last.clear();
            last.putAll(given().header("Authorization", TOKEN).get(location).then().statusCode(200)
                    .extract().jsonPath().getMap("$"));
            return "complete".equals(last.get("status")) || "stopped".equals(last.get("status"));
        });
        return last;
    }

    /**
     * Every hash of keys [from, to) includes exactly this segment's ref, and no other context includes or excludes
     * any generation of the segment (other tests' segments share the environment).
     */
    private void assertStoreHoldsExactly(int from, int to) throws Exception {
        Map<String, Set<String>> expected = new HashMap<>();
        for (int i = from; i < to; i++) {
            expected.put(ContextHashes.hash("user-" + i), Set.of(REF));
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Set<String>> included = RedisSnapshot.only(
                    RedisSnapshot.read(SharedServices.redis().uri(), PREFIX, "include"), EndToEndTest::ofThisSegment);
            assertThat(included).hasSameSizeAs(expected);
            assertThat(included).isEqualTo(expected);
        });
        assertThat(RedisSnapshot.only(RedisSnapshot.read(SharedServices.redis().uri(), PREFIX, "exclude"),
                EndToEndTest::ofThisSegment)).isEmpty();
    }

    private static boolean ofThisSegment(String ref) {
        return ref.startsWith(SEGMENT + ".g");
    }

    private static Path csv(int from, int to) throws Exception {
        Path file = Files.createTempFile("e2e-", ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = from; i < to; i++) {
                w.write("user-" + i);
                w.write('\n');
            }
        }
        file.toFile().deleteOnExit();
        return file;
    }
}
