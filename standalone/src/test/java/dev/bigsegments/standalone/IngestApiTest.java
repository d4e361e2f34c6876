package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.PipelineTestResource.OTHER_TOKEN;
import static dev.bigsegments.standalone.PipelineTestResource.PREFIX;
import static dev.bigsegments.standalone.PipelineTestResource.TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bigsegments.schemas.ContextHashes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The HTTP API's contract: auth, validation, context changes, import rules and segment lifecycle. */
@QuarkusTest
@QuarkusTestResource(value = PipelineTestResource.class, restrictToAnnotatedClass = false)
class IngestApiTest {
    private static final String BASE = "/api/v2/segments/proj/test";

    @Test
    void requestsWithoutAValidTokenAreRefusedAndATokenOfAnotherEnvironmentIsForbidden() {
        given().contentType("application/json").body("{}").post(BASE).then().statusCode(401)
                .body("message", equalTo("missing Authorization header"));
        given().header("Authorization", "nope").contentType("application/json").body("{}").post(BASE).then()
                .statusCode(401).body("message", equalTo("invalid token"));
        given().header("Authorization", OTHER_TOKEN).contentType("application/json").body("{}").post(BASE).then()
                .statusCode(403).body("message", containsString("not allowed"));
        given().header("Authorization", "Bearer " + TOKEN).get(BASE + "/no-such-segment").then().statusCode(404);
    }

    @Test
    void creatingASegmentValidatesItsBodyAndRefusesADuplicate() {
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"key\":\"bad key!\",\"unbounded\":true}").post(BASE).then().statusCode(400)
                .body("message", containsString("/key"));
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"key\":\"small\",\"unbounded\":false}").post(BASE).then().statusCode(400)
                .body("message", containsString("/unbounded"));
        String key = createSegment();
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"key\":\"" + key + "\",\"unbounded\":true}").post(BASE).then().statusCode(409);
    }

    @Test
    void contextChangesReachTheStoreInOrderAndAKeyInBothListsIsRefused() throws Exception {
        String key = createSegment();
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"included\":{\"add\":[\"a\"]},\"excluded\":{\"add\":[\"a\"]}}")
                .post(BASE + "/" + key + "/contexts").then().statusCode(400)
                .body("message", containsString("both"));
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"included\":{\"add\":[\"\"]}}").post(BASE + "/" + key + "/contexts").then().statusCode(400)
                .body("message", equalTo("/included/add/0 must be a non-empty context key"));
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"included\":{\"add\":[\"alice\",\"bob\",\"ключ-🙂\"]},\"excluded\":{\"add\":[\"carol\"]}}")
                .post(BASE + "/" + key + "/contexts").then().statusCode(204);
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"included\":{\"remove\":[\"bob\"]}}").post(BASE + "/" + key + "/contexts").then()
                .statusCode(204);
        String ref = key + ".g1";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(refsOf("include", "alice")).contains(ref);
            assertThat(refsOf("include", "ключ-🙂")).contains(ref);
            assertThat(refsOf("exclude", "carol")).contains(ref);
            assertThat(refsOf("include", "bob")).doesNotContain(ref);
        });
    }

    @Test
    void contextsPastOneKafkaRecordAreSplitInOrderAllReachTheStoreAndARetryIsDropped() throws Exception {
        String key = createSegment();
        // 35 bytes per member in Avro: 130,000 are past the 4 MiB one Kafka record may hold.
        int members = 130_000;
        StringBuilder adds = new StringBuilder("{\"included\":{\"add\":[");
        for (int i = 0; i < members; i++) {
            adds.append(i == 0 ? "\"" : ",\"").append("split-").append(i).append('"');
        }
        String body = adds.append("]}}").toString();
        String idempotency = UUID.randomUUID().toString();
        postContexts(key, body, idempotency);
        String ref = key + ".g1";
        // Members are spread over the membership partitions, each written on its own: count them all.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> RedisSnapshot
                .read(SharedServices.redis().uri(), PREFIX, "include").values().stream()
                .filter(refs -> refs.contains(ref)).count(), n -> n == members);

        postContexts(key, "{\"included\":{\"remove\":[\"split-5\"]}}", null);
        postContexts(key, body, idempotency);
        postContexts(key, "{\"excluded\":{\"add\":[\"split-5\"]}}", null);
        // The same segment and context as the retry's add of split-5, so ordered after it all the way to
        // the store: once it is there, what the retry did to split-5 is there too.
        await().atMost(Duration.ofMinutes(2)).until(() -> refsOf("exclude", "split-5").contains(ref));
        assertThat(refsOf("include", "split-5")).as("the retry was dropped, so the removal holds").doesNotContain(ref);
    }

    private static void postContexts(String segment, String body, String idempotencyKey) {
        var request = given().header("Authorization", TOKEN).contentType("application/json").body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        request.post(BASE + "/" + segment + "/contexts").then().statusCode(204);
    }

    @Test
    void anImportWithTooManyRejectedRowsStopsWithLineNumbersAndChangesNothing() throws Exception {
        String key = createSegment();
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"included\":{\"add\":[\"keeper\"]}}").post(BASE + "/" + key + "/contexts").then()
                .statusCode(204);
        StringBuilder csv = new StringBuilder("\uFEFFgood-1,ignored\r\n\"quoted,key\"\n\n");
        for (int i = 0; i < 1_001; i++) {
            csv.append("\"\"\n");
        }
        Map<String, Object> status = importCsv(key, csv.toString(), "replace", null);
        assertThat(status).containsEntry("status", "stopped");
        assertThat((String) status.get("error")).contains("max-rejected-rows");
        List<Map<String, Object>> rejections = (List<Map<String, Object>>) status.get("rejections");
        assertThat(rejections.get(0)).containsEntry("line", 4).containsEntry("reason", "empty key");
        assertThat(status).containsEntry("blankLines", 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(refsOf("include", "keeper")).contains(key + ".g1"));
        assertThat(refsOf("include", "good-1")).isEmpty();
    }

    @Test
    void aMergeImportCountsDuplicatesAndRejectionsAndTheSameIdempotencyKeyIsTheSameImport() throws Exception {
        String key = createSegment();
        String csv = "m1\nm2\nm1\n\"m3\"\n\n\"\"\n";
        String idempotency = UUID.randomUUID().toString();
        Map<String, Object> status = importCsv(key, csv, "merge", idempotency);
        assertThat(status).containsEntry("status", "complete").containsEntry("added", 3).containsEntry("duplicates", 1)
                .containsEntry("rejectedRows", 1).containsEntry("rowsRead", 6).containsEntry("removed", 0);
        String id = (String) status.get("id");
        Response again = given().header("Authorization", TOKEN).header("Idempotency-Key", idempotency)
                .multiPart("file", "list.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("mode", "merge").post(BASE + "/" + key + "/imports");
        assertThat(again.statusCode()).isEqualTo(204);
        assertThat(again.header("Location")).endsWith("/" + id);
    }

    @Test
    void aBadModeOrAMissingFileIsABadRequest() {
        String key = createSegment();
        given().header("Authorization", TOKEN).multiPart("file", "a.csv", "x\n".getBytes(StandardCharsets.UTF_8))
                .multiPart("mode", "upsert").post(BASE + "/" + key + "/imports").then().statusCode(400)
                .body("message", containsString("merge or replace"));
        given().header("Authorization", TOKEN).multiPart("mode", "merge").post(BASE + "/" + key + "/imports").then()
                .statusCode(400).body("message", containsString("'file'"));
    }

    @Test
    void deletingASegmentRemovesItsMembershipAndRecreatingItStartsTheNextGeneration() throws Exception {
        String key = createSegment();
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"included\":{\"add\":[\"del-1\",\"del-2\"]}}").post(BASE + "/" + key + "/contexts").then()
                .statusCode(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> refsOf("include", "del-2").contains(key + ".g1"));
        given().header("Authorization", TOKEN).delete(BASE + "/" + key).then().statusCode(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> refsOf("include", "del-1").isEmpty()
                && refsOf("include", "del-2").isEmpty());
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"key\":\"" + key + "\",\"unbounded\":true}").post(BASE).then().statusCode(201)
                .body("generation", equalTo(2));
    }

    private static String createSegment() {
        String key = "api-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"key\":\"" + key + "\",\"name\":\"API\",\"unbounded\":true}").post(BASE).then()
                .statusCode(201).body("generation", equalTo(1));
        return key;
    }

    private static Map<String, Object> importCsv(String segment, String csv, String mode, String idempotencyKey)
            throws Exception {
        Path file = Files.createTempFile("api-", ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        var request = given().header("Authorization", TOKEN);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        Response started = request.multiPart("file", file.toFile(), "text/csv").multiPart("mode", mode)
                .post(BASE + "/" + segment + "/imports");
        assertThat(started.statusCode()).isEqualTo(204);
        String location = started.header("Location");
        return await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().header("Authorization", TOKEN).get(location).then().statusCode(200).extract()
                        .jsonPath().<String, Object>getMap("$"),
                        s -> "complete".equals(s.get("status")) || "stopped".equals(s.get("status")));
    }

    private static Set<String> refsOf(String set, String contextKey) throws Exception {
        return RedisSnapshot.members(SharedServices.redis().uri(),
                PREFIX + ":big_segment_" + set + ":" + ContextHashes.hash(contextKey));
    }
}
