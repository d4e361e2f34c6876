package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.PipelineTestResource.ENV_ID;
import static dev.bigsegments.standalone.PipelineTestResource.OTHER_TOKEN;
import static dev.bigsegments.standalone.PipelineTestResource.TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.testkit.FixtureProducer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The operator's view through the API: segment lists with counts from the pipeline's state, memberships,
 * segment status with store freshness, import lists, the pipeline status, and health checks named once.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineTestResource.class, restrictToAnnotatedClass = false)
class OperatorViewTest {
    private static final String BASE = "/api/v2/segments/proj/test";
    /** The standalone run's token, allowed every environment. */
    private static final String EVERY_ENVIRONMENT_TOKEN = "unused-standalone-token";

    @TestHTTPResource(value = "health", management = true)
    URL health;

    @Test
    void segmentsAreListedByKeyWithCountsPerListPagedAndFilteredByPrefix() {
        String prefix = "list-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        for (String s : List.of("c", "a", "b")) {
            create(prefix + s);
        }
        contexts(prefix + "b", "{\"included\":{\"add\":[\"i1\",\"i2\",\"both\"]}}");
        contexts(prefix + "b", "{\"excluded\":{\"add\":[\"both\"]}}");

        JsonPath first = await().atMost(Duration.ofSeconds(30)).until(() -> list("?prefix=" + prefix + "&limit=2"),
                page -> Integer.valueOf(3).equals(page.get("items[1].included")));
        assertThat(first.<String>getList("items.key")).containsExactly(prefix + "a", prefix + "b");
        assertThat(first.getMap("items[1]")).containsEntry("excluded", 1).containsEntry("generation", 1)
                .containsEntry("contextKind", "user");
        assertThat(first.getLong("items[1].lastChangeAt")).isPositive();
        assertThat(first.getMap("items[0]")).containsEntry("included", 0).containsEntry("excluded", 0);
        assertThat(first.getString("next")).isEqualTo(prefix + "b");
        JsonPath second = list("?prefix=" + prefix + "&limit=2&after=" + prefix + "b");
        assertThat(second.<String>getList("items.key")).containsExactly(prefix + "c");
        assertThat(second.getString("next")).isNull();
        given().header("Authorization", TOKEN).get(BASE + "?limit=501").then().statusCode(400)
                .body("message", containsString("limit must be between 1 and 500"));
    }

    @Test
    void aContextsMembershipIsAnsweredFromThePipelinesStateForOneKeyOrMany() {
        String key = create("lookup-" + UUID.randomUUID().toString().substring(0, 8));
        contexts(key, "{\"included\":{\"add\":[\"alice\",\"ключ 🙂\"]},\"excluded\":{\"add\":[\"mallory\"]}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TOKEN)
                .get(BASE + "/" + key + "/contexts/alice").then().statusCode(200)
                .body("userKey", equalTo("alice")).body("included", equalTo(true)).body("excluded", equalTo(false)));
        JsonPath many = given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"keys\":[\"mallory\",\"nobody\",\"ключ 🙂\"]}".getBytes(StandardCharsets.UTF_8))
                .post(BASE + "/" + key + "/contexts/lookup").then().statusCode(200).extract().jsonPath();
        assertThat(many.<Map<String, Object>>getList("items")).containsExactly(
                Map.of("userKey", "mallory", "included", false, "excluded", true),
                Map.of("userKey", "nobody", "included", false, "excluded", false),
                Map.of("userKey", "ключ 🙂", "included", true, "excluded", false));
        given().header("Authorization", TOKEN).contentType("application/json").body("{\"keys\":[\"a\",\"\"]}")
                .post(BASE + "/" + key + "/contexts/lookup").then().statusCode(400)
                .body("message", equalTo("/keys/1 must be a non-empty context key"));
        StringBuilder tooMany = new StringBuilder("{\"keys\":[\"k0\"");
        for (int i = 1; i <= 1000; i++) {
            tooMany.append(",\"k").append(i).append('"');
        }
        given().header("Authorization", TOKEN).contentType("application/json").body(tooMany.append("]}").toString())
                .post(BASE + "/" + key + "/contexts/lookup").then().statusCode(400)
                .body("message", containsString("bigsegments.ingest.lookup.max-keys (1000)"));
        given().header("Authorization", TOKEN).get(BASE + "/no-such-segment/contexts/alice").then().statusCode(404);
    }

    @Test
    void aSegmentsStatusCountsItsListsAndSaysWhenTheStoreHoldsItsLastChange() {
        String key = create("status-" + UUID.randomUUID().toString().substring(0, 8));
        contexts(key, "{\"included\":{\"add\":[\"s1\",\"s2\"]}}");
        JsonPath status = await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", TOKEN)
                .get(BASE + "/" + key + "/status").then().statusCode(200).extract().jsonPath(),
                s -> s.getInt("included") == 2 && Boolean.TRUE.equals(s.get("stores[0].holdsLastChange")));
        assertThat(status.getMap("stores[0]")).containsEntry("store", "redis");
        assertThat(status.getLong("stores[0].synchronizedOn")).isGreaterThanOrEqualTo(status.getLong("lastChangeAt"));
        assertThat(status.getList("pendingCleanups")).isEmpty();
        assertThat(status.getString("activeImport")).isNull();
    }

    @Test
    void importsAreListedNewestFirstAndKeysAcceptedCountsDistinctKeys() throws Exception {
        String key = create("imports-" + UUID.randomUUID().toString().substring(0, 8));
        String first = importCsv(key, "a\nb\n");
        String second = importCsv(key, "x\ny\nx\nz\ny\n\n\"\"\n");
        JsonPath done = await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", TOKEN)
                .get(BASE + "/" + key + "/imports/" + second).then().statusCode(200).extract().jsonPath(),
                s -> "complete".equals(s.getString("status")));
        assertThat(done.getMap("$")).containsEntry("rowsRead", 7).containsEntry("keysAccepted", 3)
                .containsEntry("duplicates", 2).containsEntry("rejectedRows", 1).containsEntry("blankLines", 1)
                .containsEntry("added", 3);
        JsonPath page = given().header("Authorization", TOKEN).get(BASE + "/" + key + "/imports?limit=1").then()
                .statusCode(200).extract().jsonPath();
        assertThat(page.<String>getList("items.id")).containsExactly(second);
        assertThat(page.getString("next")).isEqualTo(second);
        JsonPath rest = given().header("Authorization", TOKEN).get(BASE + "/" + key + "/imports?after=" + second)
                .then().statusCode(200).extract().jsonPath();
        assertThat(rest.<String>getList("items.id")).containsExactly(first);
        assertThat(rest.getString("next")).isNull();
    }

    @Test
    void statusNeedsATokenAndShowsTheTokensEnvironmentsEachStoreAndTheProcessor() {
        given().get("/status").then().statusCode(401).body("code", equalTo("unauthorized"));
        // A record that is not a command: the processor sets it aside, and the status counts it.
        try (FixtureProducer<byte[], byte[]> raw = new FixtureProducer<>(SharedServices.kafka().bootstrapServers(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.COMMANDS_NAME, new SegmentId(ENV_ID, "status-poison").toBytes(),
                    "not a command".getBytes(StandardCharsets.UTF_8)));
        }
        JsonPath everything = await().atMost(Duration.ofSeconds(30)).until(() -> given()
                .header("Authorization", EVERY_ENVIRONMENT_TOKEN).get("/status").then().statusCode(200).extract()
                .jsonPath(), s -> s.<Map<String, Object>>getList("deadLetters.recent").stream().anyMatch(
                        d -> "undecodable".equals(d.get("reason")) && Topics.COMMANDS_NAME.equals(d.get("topic"))
                                && "stream-processor".equals(d.get("source"))));
        assertThat(everything.getLong("deadLetters.total")).isPositive();
        assertThat(everything.<String>getList("environments.name")).contains("e2e", "other");
        JsonPath mine = await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", TOKEN)
                .get("/status").then().statusCode(200).extract().jsonPath(),
                s -> s.getList("stores").size() == 1 && s.get("environments[0].stores[0].synchronizedOn") != null);
        assertThat(mine.<String>getList("environments.name")).containsExactly("e2e");
        assertThat(mine.getMap("stores[0]")).containsEntry("store", "redis").containsEntry("reporting", true)
                .containsEntry("reachable", true);
        assertThat(mine.getLong("processor.lag")).isNotNegative();
        assertThat(mine.getLong("deadLetters.bySource.stream-processor.undecodable")).isPositive();
        assertThat(mine.getList("deadLetters.recent")).as("only for a token of every environment").isEmpty();
        JsonPath other = given().header("Authorization", OTHER_TOKEN).get("/status").then().statusCode(200).extract()
                .jsonPath();
        assertThat(other.<String>getList("environments.name")).containsExactly("other");
    }

    @Test
    void eachHealthCheckIsListedOnce() {
        List<String> names = given().get(health).then().extract().jsonPath().getList("checks.name");
        assertThat(names).doesNotHaveDuplicates().containsExactlyInAnyOrder("schema-registry", "stream-processor",
                "stream-processor-live", "redis-writer", "redis-writer-live", "dynamodb-writer",
                "dynamodb-writer-live");
    }

    private static JsonPath list(String query) {
        return given().header("Authorization", TOKEN).get(BASE + query).then().statusCode(200).extract().jsonPath();
    }

    private static String create(String key) {
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"unbounded\":true}").post(BASE).then()
                .statusCode(201);
        return key;
    }

    private static void contexts(String segment, String body) {
        given().header("Authorization", TOKEN).contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8)).post(BASE + "/" + segment + "/contexts").then()
                .statusCode(204);
    }

    private static String importCsv(String segment, String csv) {
        String location = given().header("Authorization", TOKEN)
                .multiPart("file", "list.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("mode", "merge")
                .post(BASE + "/" + segment + "/imports").then().statusCode(204).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", TOKEN).get(location)
                .then().extract().jsonPath().getString("status"), s -> "complete".equals(s) || "stopped".equals(s));
        return id;
    }
}
