package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.PipelineTestResource.ENV_ID;
import static dev.bigsegments.standalone.PipelineTestResource.OTHER_TOKEN;
import static dev.bigsegments.standalone.PipelineTestResource.SYNCED_LIMITED_TOKEN;
import static dev.bigsegments.standalone.PipelineTestResource.SYNCED_MAPPED_COHORT;
import static dev.bigsegments.standalone.PipelineTestResource.SYNCED_MAPPED_SEGMENT;
import static dev.bigsegments.standalone.PipelineTestResource.SYNCED_MAX_BODY_BYTES;
import static dev.bigsegments.standalone.PipelineTestResource.TOKEN;
import static dev.bigsegments.standalone.SyncedSupport.RUN;
import static dev.bigsegments.standalone.SyncedSupport.TARGETS;
import static dev.bigsegments.standalone.SyncedSupport.assertSdkSees;
import static dev.bigsegments.standalone.SyncedSupport.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.bigsegments.ingest.publish.PipelineClient;
import dev.bigsegments.schemas.SegmentId;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every way a tool's request is refused, with its exact status and message, and that it publishes nothing. */
@QuarkusTest
@QuarkusTestResource(value = PipelineTestResource.class, restrictToAnnotatedClass = false)
class SyncedRejectionsTest {
    private static final String RUDDER = """
            {"environmentId":"%s","contextKind":"%s","cohortId":"%s","cohortName":"n",
             "listData":{"add":[%s],"remove":[]}}""";

    @Inject
    PipelineClient pipeline;

    @Test
    void aMissingOrWrongFieldIsA400NamingItsPointerAndNothingIsPublished() {
        String cohort = "rej-400-" + RUN;
        expect(post("amplitude", "{\"batch\":[]}"), 400, "/environmentId must be a non-empty string");
        expect(post("amplitude", """
                {"environmentId":"%s","batch":[{"cohortId":"%s","userId":"ok-1","value":true},
                 {"cohortId":"%s","userId":"","value":true}]}""".formatted(ENV_ID, cohort, cohort)),
                400, "/batch/1/userId must be a non-empty context key");
        expect(post("amplitude", """
                {"environmentId":"%s","batch":[{"cohortId":"%s","userId":"ok-1","value":"yes"}]}"""
                .formatted(ENV_ID, cohort)), 400, "/batch/0/value must be true or false");
        expect(post("hightouch", """
                {"environmentId":"%s","cohortId":"%s","members":[{"integration_distinct_id":"ok-1"}]}"""
                .formatted(ENV_ID, cohort)), 400, "/action must be a non-empty string");
        expect(post("amplitude", "{\"environmentId\":"), 400, "the body is not valid JSON: Unexpected end-of-input"
                + " within/between Object entries (line 1, column 18, at /environmentId)");
        assertThat(pipeline.segment(new SegmentId(ENV_ID, "amplitude-" + cohort))).isEmpty();
        assertThat(pipeline.segment(new SegmentId(ENV_ID, "hightouch-" + cohort))).isEmpty();
    }

    @Test
    void aTokenNotAllowedTheEnvironmentIsA403() {
        String body = RUDDER.formatted(ENV_ID, "user", "rej-403-" + RUN, "{\"id\":\"a\"}");
        expect(post("rudderstack", OTHER_TOKEN, body), 403, "this token is not allowed environment e2e");
        expect(post("rudderstack", "not-a-token", body), 403, "invalid token");
        expect(given().contentType("application/json").body(body).post(TARGETS + "rudderstack"), 403,
                "missing Authorization header");
        expect(post("rudderstack", RUDDER.formatted("env-nobody-knows", "user", "rej-403-" + RUN, "{\"id\":\"a\"}")),
                403, "this token is not allowed environment env-nobody-knows");
        assertThat(pipeline.segment(new SegmentId(ENV_ID, "rudderstack-rej-403-" + RUN))).isEmpty();
    }

    @Test
    void anUnknownIntegrationIsA404() {
        expect(post("no-such-tool", "{}"), 404, "unknown integration no-such-tool");
    }

    @Test
    void aBodyPastTheLimitIsA413() {
        String padding = "x".repeat((int) SYNCED_MAX_BODY_BYTES);
        expect(post("rudderstack", RUDDER.formatted(ENV_ID, "user", "rej-413-" + RUN,
                "{\"id\":\"" + padding + "\"}")), 413, "the body exceeds the limit of 1048576 bytes (bigsegments.ingest.synced.max-body-bytes)");
        byte[] chunked = RUDDER.formatted(ENV_ID, "user", "rej-413-" + RUN, "{\"id\":\"" + padding + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        expect(given().header("Authorization", TOKEN).contentType("application/json")
                .body(new ByteArrayInputStream(chunked)).post(TARGETS + "rudderstack"), 413,
                "the body exceeds the limit of 1048576 bytes (bigsegments.ingest.synced.max-body-bytes)");
        assertThat(pipeline.segment(new SegmentId(ENV_ID, "rudderstack-rej-413-" + RUN))).isEmpty();
    }

    @Test
    void aTokenPastItsRateIsA429WithRetryAfter() {
        String body = RUDDER.formatted(ENV_ID, "user", "rej-429-" + RUN, "{\"id\":\"\"}");
        expect(post("rudderstack", SYNCED_LIMITED_TOKEN, body), 400, "/listData/add/0/id must be a non-empty context key");
        Response limited = post("rudderstack", SYNCED_LIMITED_TOKEN, body);
        expect(limited, 429, "too many requests for this token; retry after 5 s");
        assertThat(limited.header("Retry-After")).isEqualTo("5");
        post("rudderstack", body).then().statusCode(400);
    }

    @Test
    void aCohortArrivingWithAnotherContextKindIsA409AndChangesNothing() {
        String cohort = "rej-409-" + RUN;
        post("rudderstack", RUDDER.formatted(ENV_ID, "user", cohort, "{\"id\":\"kind-1\"}")).then().statusCode(204);
        expect(post("rudderstack", RUDDER.formatted(ENV_ID, "account", cohort, "{\"id\":\"kind-2\"}")), 409,
                "cohort " + cohort + " has context kind account but segment rudderstack-" + cohort
                        + " holds user contexts");
        post("rudderstack", RUDDER.formatted(ENV_ID, "user", cohort, "{\"id\":\"kind-3\"}")).then().statusCode(204);
        // kind-3 was published after the refused request, on the same partition: once it is visible,
        // anything the refused request had published would be too
        assertSdkSees("rudderstack-" + cohort, Map.of("kind-1", true, "kind-3", true, "kind-2", false));
    }

    @Test
    void aMappedCohortUpdatesItsExistingSegmentAndIsA409UntilThatExists() {
        String body = """
                {"environmentId":"%s","cohortId":"%s","cohortName":"Mapped","action":"add",
                 "members":[{"integration_distinct_id":"mapped-1"},{"integration_distinct_id":"mappé-2"}]}"""
                .formatted(ENV_ID, SYNCED_MAPPED_COHORT);
        expect(post("hightouch", body), 409, "cohort " + SYNCED_MAPPED_COHORT + " is mapped to segment "
                + SYNCED_MAPPED_SEGMENT + ", which does not exist");
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"key\":\"" + SYNCED_MAPPED_SEGMENT + "\",\"name\":\"Mapped\",\"unbounded\":true}")
                .post("/api/v2/segments/proj/test").then().statusCode(201);
        post("hightouch", body).then().statusCode(204);
        assertSdkSees(SYNCED_MAPPED_SEGMENT, Map.of("mapped-1", true, "mappé-2", true));
        assertThat(pipeline.segment(new SegmentId(ENV_ID, "hightouch-" + SYNCED_MAPPED_COHORT))).isEmpty();
    }

    @Test
    void heapRejectionsCarryHeapsFailureBody() {
        Response answer = post("heap-inbound", """
                {"parameters":{"environment_id":"%s"},"heap":{"data":{"segment":{"id":"rej-heap-%s","name":"n"},
                 "add":[{"id":"fine"},{"name":"no id"}],"remove":[]}}}""".formatted(ENV_ID, RUN));
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.jsonPath().getMap("$")).containsExactlyInAnyOrderEntriesOf(Map.of("projectId", "proj",
                "environmentId", "test", "segmentId", "", "segmentUrl", "", "status", "failure",
                "error", Map.of("message", "/heap/data/add/1/id must be a non-empty context key", "code", 400)));
    }

    private static void expect(Response response, int status, String message) {
        response.then().statusCode(status).body("message", equalTo(message));
    }
}
