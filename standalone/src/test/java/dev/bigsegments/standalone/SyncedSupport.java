package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.PipelineTestResource.PREFIX;
import static dev.bigsegments.standalone.PipelineTestResource.TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.testkit.RedisBigSegmentStoreReader;
import dev.bigsegments.testkit.SdkProbe;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Helpers of the synced-segment tests: posting a tool's payload and reading it back through the SDK. */
final class SyncedSupport {
    static final String TARGETS = "/api/v2/segment-targets/";
    /** Cohort ids of one test JVM never repeat across runs against a reused broker. */
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private SyncedSupport() {
    }

    static Response post(String integrationKey, String body) {
        return post(integrationKey, TOKEN, body);
    }

    static Response post(String integrationKey, String token, String body) {
        return given().header("Authorization", token).contentType("application/json").body(body)
                .post(TARGETS + integrationKey);
    }

    /** Waits until the real SDK, reading the store, evaluates every key of the segment as expected. */
    static void assertSdkSees(String segmentKey, int generation, Map<String, Boolean> expected) {
        var reader = new RedisBigSegmentStoreReader(SharedServices.redis().uri(), PREFIX);
        try (SdkProbe sdk = SdkProbe.forSegment(segmentKey, generation, reader, Duration.ofMinutes(2))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> expected.forEach((key, member) ->
                    assertThat(sdk.evaluate(key).value()).as("%s in %s", key, segmentKey).isEqualTo(member)));
        }
    }

    static void assertSdkSees(String segmentKey, Map<String, Boolean> expected) {
        assertSdkSees(segmentKey, 1, expected);
    }
}
