package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.PipelineTestResource.ENV_ID;
import static dev.bigsegments.standalone.PipelineTestResource.JSON_MAX_STRING_LENGTH;
import static dev.bigsegments.standalone.PipelineTestResource.UNLIMITED_TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.bigsegments.standalone.BodyMutations.Kind;
import dev.bigsegments.standalone.BodyMutations.Mutant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of valid bodies, each invalid by construction ({@link BodyMutations}), sent to every
 * JSON and CSV endpoint: the segment endpoints, every tool's synced endpoint and the CSV upload. Every
 * answer is a 4xx in the error shape, nothing reaches the commands topic, and the service stays ready.
 *
 * <p>CI sends a few hundred requests. A longer run, and the replay of one (its seed is printed and in
 * every failure): {@code ./mvnw -pl standalone verify -Dtest=BodyFuzzTest -Dfuzz.requests=20000
 * [-Dfuzz.seed=<seed>]}.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineTestResource.class, restrictToAnnotatedClass = false)
class BodyFuzzTest {
    /** Readiness, on the management interface. */
    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 300);
    private static final long SEED = Long.getLong("fuzz.seed", new Random().nextLong());
    private static final String COMMANDS = "bigsegments.commands";
    private static final String BASE = "/api/v2/segments/proj/test";
    private static final String TARGETS = "/api/v2/segment-targets/";
    private static final String BOUNDARY = "fuzzboundary";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** An endpoint and how one of its valid bodies is mutated. */
    private record Target(String path, Function<BodyMutations, Mutant> mutate, boolean heapShape) {
    }

    @Test
    void everyMutatedBodyIsRefusedWithA4xxInTheErrorShapeNothingIsPublishedAndTheServiceStaysReady()
            throws Exception {
        System.out.printf("BodyFuzzTest: %d requests, seed %d (-Dfuzz.seed=%d replays them)%n", REQUESTS, SEED, SEED);
        String segment = createSegment();
        List<Target> targets = targets(segment);
        Map<TopicPartition, Long> published = commandsEndOffsets();
        BodyMutations mutations = new BodyMutations(new SplittableRandom(SEED), 64, 100, JSON_MAX_STRING_LENGTH);
        SplittableRandom pick = new SplittableRandom(SEED ^ 0x5DEECE66DL);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            Target target = targets.get(pick.nextInt(targets.size()));
            Mutant mutant = target.mutate().apply(mutations);
            String problem = problem(client, target, mutant);
            if (problem != null) {
                failures.add("#" + i + " " + target.path() + ", " + mutant.what() + ": " + problem);
            }
        }
        assertThat(failures).as("seed %d", SEED).isEmpty();
        assertThat(commandsEndOffsets()).as("nothing published (seed %d)", SEED).isEqualTo(published);
        given().get(ready).then().statusCode(200).body("status", equalTo("UP"));
    }

    /** Null when the answer is a 4xx in the endpoint's error shape; else what is wrong with it. */
    private static String problem(HttpClient client, Target target, Mutant mutant) {
        HttpResponse<String> answer;
        try {
            answer = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                    + target.path())).timeout(TIMEOUT).header("Authorization", UNLIMITED_TOKEN)
                    .header("Content-Type", mutant.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mutant.body())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return "no answer: " + e;
        }
        String shown = answer.statusCode() + " " + answer.body();
        if (answer.statusCode() < 400 || answer.statusCode() >= 500) {
            return shown;
        }
        if (!answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            return "not JSON: " + shown;
        }
        try {
            JsonPath body = JsonPath.from(answer.body());
            String message = target.heapShape() ? body.getString("error.message") : body.getString("message");
            boolean shaped = target.heapShape() ? "failure".equals(body.getString("status"))
                    : body.getString("code") != null;
            return shaped && message != null && !message.isBlank() ? null : "not the error shape: " + shown;
        } catch (RuntimeException e) {
            return "not JSON: " + shown;
        }
    }

    private static List<Target> targets(String segment) {
        String cohort = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
        List<Target> targets = new ArrayList<>();
        targets.add(new Target(BASE, m -> m.json("{\"key\":\"" + cohort + "\",\"name\":\"Fuzz\",\"unbounded\":true,"
                + "\"unboundedContextKind\":\"user\",\"generation\":3}", Map.of("/key", Kind.STRING, "/name", Kind.STRING,
                        "/unbounded", Kind.BOOLEAN, "/unboundedContextKind", Kind.STRING, "/generation", Kind.INTEGER),
                true), false));
        targets.add(new Target(BASE + "/" + segment + "/contexts", m -> m.json("{\"included\":{\"add\":[\"a\",\"b\"],"
                + "\"remove\":[\"c\"]},\"excluded\":{\"add\":[\"d\"],\"remove\":[\"e\"]}}", Map.of("/included", Kind.OBJECT,
                        "/included/add", Kind.ARRAY, "/included/add/1", Kind.ELEMENT, "/included/remove/0", Kind.ELEMENT,
                        "/excluded", Kind.OBJECT, "/excluded/add/0", Kind.ELEMENT, "/excluded/remove", Kind.ARRAY), true),
                false));
        targets.add(new Target(BASE + "/" + segment + "/imports", m -> m.multipart(BOUNDARY, "k1\nk2\n", "merge"),
                false));
        synced(cohort).forEach((tool, body) -> targets.add(new Target(TARGETS + tool,
                m -> m.json(body.getKey(), body.getValue(), false), "heap-inbound".equals(tool))));
        return targets;
    }

    /** A valid body of each tool, with the fields its descriptor reads. */
    private static Map<String, Map.Entry<String, Map<String, Kind>>> synced(String cohort) {
        String env = ENV_ID;
        Map<String, Kind> batch = Map.of("/environmentId", Kind.STRING, "/batch", Kind.ARRAY,
                "/batch/0/userId", Kind.ID, "/batch/1/value", Kind.BOOLEAN, "/batch/1/cohortId", Kind.ID);
        String batchBody = "{\"environmentId\":\"" + env + "\",\"batch\":[{\"cohortId\":\"" + cohort
                + "\",\"cohortName\":\"F\",\"userId\":\"u1\",\"value\":true},{\"cohortId\":\"" + cohort
                + "\",\"cohortName\":\"F\",\"userId\":\"u2\",\"value\":false}]}";
        Map<String, Kind> lists = Map.of("/environmentId", Kind.STRING, "/contextKind", Kind.STRING,
                "/cohortId", Kind.ID, "/LIST/add", Kind.ARRAY, "/LIST/add/0/id", Kind.ID, "/LIST/remove", Kind.ARRAY);
        String listBody = "{\"environmentId\":\"" + env + "\",\"contextKind\":\"user\",\"cohortId\":\"" + cohort
                + "\",\"cohortName\":\"F\",\"LIST\":{\"add\":[{\"id\":\"u1\"}],\"remove\":[{\"id\":\"u2\"}]}}";
        Map<String, Map.Entry<String, Map<String, Kind>>> tools = new java.util.TreeMap<>();
        tools.put("amplitude", Map.entry(batchBody, batch));
        tools.put("segment-audiences", Map.entry(batchBody.replace("{\"environmentId\"",
                "{\"contextKind\":\"user\",\"environmentId\""), with(batch, "/contextKind", Kind.STRING)));
        tools.put("census-synced-segments", Map.entry("{\"environment_id\":\"" + env + "\",\"context_kind\":\"user\","
                + "\"batch\":[{\"cohort_id\":\"" + cohort + "\",\"cohort_name\":\"F\",\"user_id\":\"u1\",\"value\":true}]}",
                Map.of("/environment_id", Kind.STRING, "/context_kind", Kind.STRING, "/batch", Kind.ARRAY,
                        "/batch/0/user_id", Kind.ID, "/batch/0/value", Kind.BOOLEAN, "/batch/0/cohort_id", Kind.ID)));
        for (String[] tool : new String[][] {{"rudderstack", "listData"}, {"fulcrum", "included"},
                {"sumatra-synced-segments", "included"}}) {
            tools.put(tool[0], Map.entry(listBody.replace("LIST", tool[1]), lists.entrySet().stream().collect(
                    Collectors.toMap(e -> e.getKey().replace("LIST", tool[1]), Map.Entry::getValue))));
        }
        tools.put("heap-inbound", Map.entry("{\"parameters\":{\"environment_id\":\"" + env + "\"},\"heap\":{\"data\":"
                + "{\"segment\":{\"id\":\"" + cohort + "\",\"name\":\"F\"},\"add\":[{\"id\":\"u1\"}],\"remove\":[]}}}",
                Map.of("/parameters/environment_id", Kind.STRING, "/heap/data/segment/id", Kind.ID,
                        "/heap/data/add", Kind.ARRAY, "/heap/data/add/0/id", Kind.ID, "/heap/data/remove", Kind.ARRAY)));
        tools.put("hightouch", Map.entry("{\"environmentId\":\"" + env + "\",\"contextKind\":\"user\",\"cohortId\":\""
                + cohort + "\",\"cohortName\":\"F\",\"action\":\"add\",\"members\":[{\"integration_distinct_id\":\"u1\"}]}",
                Map.of("/environmentId", Kind.STRING, "/contextKind", Kind.STRING, "/cohortId", Kind.ID,
                        "/action", Kind.STRING, "/members", Kind.ARRAY, "/members/0/integration_distinct_id", Kind.ID)));
        tools.put("tealium-synced-segments", Map.entry("{\"action\":\"add_member\",\"parameters\":{\"tealium_project_id\":\""
                + env + "\",\"tealium_cohort_id\":\"" + cohort + "\",\"tealium_cohort_name\":\"F\",\"members\":"
                + "[{\"member_id\":\"u1\"}]}}", Map.of("/action", Kind.STRING, "/parameters/tealium_project_id",
                        Kind.STRING, "/parameters/tealium_cohort_id", Kind.ID, "/parameters/members", Kind.ARRAY,
                        "/parameters/members/0/member_id", Kind.ID)));
        tools.put("zeotap", Map.entry("{\"action\":\"add_members\",\"parameters\":{\"integration_project_id\":\"" + env
                + "\",\"integration_cohort_id\":\"" + cohort + "\",\"integration_cohort_name\":\"F\",\"members\":"
                + "[{\"integration_distinct_id\":\"u1\"}]}}", Map.of("/action", Kind.STRING,
                        "/parameters/integration_project_id", Kind.STRING, "/parameters/integration_cohort_id", Kind.ID,
                        "/parameters/members", Kind.ARRAY, "/parameters/members/0/integration_distinct_id", Kind.ID)));
        return tools;
    }

    private static Map<String, Kind> with(Map<String, Kind> fields, String pointer, Kind kind) {
        Map<String, Kind> more = new java.util.HashMap<>(fields);
        more.put(pointer, kind);
        return more;
    }

    private static Map<TopicPartition, Long> commandsEndOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedServices.kafka().bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(COMMANDS)).allTopicNames().get()
                    .get(COMMANDS).partitions().stream().collect(Collectors.toMap(
                            p -> new TopicPartition(COMMANDS, p.partition()), p -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    private static String createSegment() {
        String key = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", UNLIMITED_TOKEN).contentType("application/json")
                .body("{\"key\":\"" + key + "\",\"unbounded\":true}").post(BASE).then().statusCode(201);
        return key;
    }
}
