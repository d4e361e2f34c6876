package dev.bigsegments.standalone;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedDynalite;
import dev.bigsegments.embedded.FreePorts;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.TopicSetup;
import dev.bigsegments.testkit.DynamoDbBigSegmentStoreReader;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A CSV import through the packaged ingest service, stream processor and one store writer with both
 * targets on (Redis and DynamoDB, fan-out, each with its own consumer group): both stores end with
 * identical memberships and both are stamped as caught up. Services run as separate processes.
 */
class DynamoFanOutTest {
    private static final String NAME = "fanout";
    private static final String REGISTRY = "mock://fanout";
    private static final String TOKEN = "fanout-token";
    private static final String TABLE = "fanout-table";
    private static final String SEGMENT = "fan-seg";
    private static final String REF = SEGMENT + ".g1";
    private static final int KEYS = 3_000;
    private static EmbeddedDynalite dynalite;

    @BeforeAll
    static void startDynalite() {
        dynalite = EmbeddedDynalite.start();
    }

    @AfterAll
    static void stopDynalite() {
        dynalite.close();
    }

    @Test
    void aCsvImportReachesRedisAndDynamoDbWithIdenticalMemberships() throws Exception {
        TopicNames topics = new TopicNames(NAME + ".commands", NAME + ".membership", NAME + ".segments",
                NAME + ".imports");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedServices.kafka().bootstrapServers()))) {
            TopicSetup.ensureTopics(admin, topics, 4, (short) 1);
        }
        int port = FreePorts.next();
        try (ServiceProcess processor = new ServiceProcess("stream-processor", processor(topics)).start();
                ServiceProcess writer = new ServiceProcess("store-writer", writer(topics)).start();
                ServiceProcess ingest = new ServiceProcess("ingest-service", ingest(topics, port)).start()) {
            String base = "http://127.0.0.1:" + port + "/api/v2/segments/proj/" + NAME;
            await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() ->
                    given().header("Authorization", TOKEN).contentType("application/json")
                            .body("{\"key\":\"" + SEGMENT + "\",\"name\":\"Fan-out\",\"unbounded\":true,"
                                    + "\"unboundedContextKind\":\"user\"}")
                            .post(base).then().statusCode(201));
            Response started = given().header("Authorization", TOKEN).multiPart("file", csv().toFile(), "text/csv")
                    .multiPart("mode", "replace").post(base + "/" + SEGMENT + "/imports");
            assertThat(started.statusCode()).as(started.body().asString()).isEqualTo(204);

            Map<String, Set<String>> expected = new HashMap<>();
            for (int i = 0; i < KEYS; i++) {
                expected.put(ContextHashes.hash("user-" + i), Set.of(REF));
            }
            try {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(RedisSnapshot.read(SharedServices.redis().uri(), NAME, "include")).isEqualTo(expected);
                    assertThat(DynamoSnapshot.included(dynalite.endpoint(), TABLE, NAME)).isEqualTo(expected);
                });
                try (DynamoDbBigSegmentStoreReader reader = new DynamoDbBigSegmentStoreReader(dynalite.endpoint(),
                        TABLE, NAME)) {
                    await().atMost(Duration.ofMinutes(1)).until(() -> reader.getMetadata() != null);
                    assertThat(reader.getMembership(ContextHashes.hash("user-7")).checkMembership(REF)).isTrue();
                }
                await().atMost(Duration.ofMinutes(1)).until(() ->
                        RedisSnapshot.get(SharedServices.redis().uri(), NAME + ":big_segments_synchronized_on") != null);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n--- writer log ---\n" + writer.logTail(), e);
            }
        }
    }

    private static Path csv() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < KEYS; i++) {
            sb.append("user-").append(i).append('\n');
        }
        Path file = Files.createTempFile("fanout-", ".csv");
        Files.writeString(file, sb);
        file.toFile().deleteOnExit();
        return file;
    }

    private static Map<String, String> common(TopicNames topics) {
        Map<String, String> env = new HashMap<>();
        env.put("BIGSEGMENTS_KAFKA_BOOTSTRAP_SERVERS", SharedServices.kafka().bootstrapServers());
        env.put("BIGSEGMENTS_REGISTRY_URL", REGISTRY);
        env.put("BIGSEGMENTS_TOPICS_COMMANDS", topics.commands());
        env.put("BIGSEGMENTS_TOPICS_MEMBERSHIP", topics.membership());
        env.put("BIGSEGMENTS_TOPICS_SEGMENTS", topics.segments());
        env.put("BIGSEGMENTS_TOPICS_IMPORTS", topics.imports());
        String e = "BIGSEGMENTS_ENVIRONMENTS_" + NAME.toUpperCase() + "_";
        env.put(e + "ID", "env-" + NAME);
        env.put(e + "PROJECT_KEY", "proj");
        env.put(e + "ENVIRONMENT_KEY", NAME);
        env.put(e + "STORE_PREFIX", NAME);
        env.put("QUARKUS_HTTP_PORT", "0");
        return env;
    }

    private static Map<String, String> processor(TopicNames topics) throws Exception {
        Map<String, String> env = common(topics);
        env.put("BIGSEGMENTS_PROCESSOR_APPLICATION_ID", NAME + "-processor");
        env.put("BIGSEGMENTS_PROCESSOR_STATE_DIR", Files.createTempDirectory(NAME + "-state").toString());
        return env;
    }

    private static Map<String, String> writer(TopicNames topics) {
        Map<String, String> env = common(topics);
        env.put("BIGSEGMENTS_WRITER_PROCESSOR_APPLICATION_ID", NAME + "-processor");
        env.put("BIGSEGMENTS_WRITER_REDIS_URI", SharedServices.redis().uri());
        env.put("BIGSEGMENTS_WRITER_REDIS_GROUP_ID", NAME + "-writer-redis");
        env.put("BIGSEGMENTS_WRITER_DYNAMODB_ENABLED", "true");
        env.put("BIGSEGMENTS_WRITER_DYNAMODB_ENDPOINT", dynalite.endpoint().toString());
        env.put("BIGSEGMENTS_WRITER_DYNAMODB_REGION", "us-east-1");
        env.put("BIGSEGMENTS_WRITER_DYNAMODB_TABLE", TABLE);
        env.put("BIGSEGMENTS_WRITER_DYNAMODB_CREATE_TABLES", "true");
        env.put("BIGSEGMENTS_WRITER_DYNAMODB_GROUP_ID", NAME + "-writer-dynamodb");
        // dynalite checks that requests are signed, not by whom.
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        return env;
    }

    private static Map<String, String> ingest(TopicNames topics, int port) {
        Map<String, String> env = common(topics);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("BIGSEGMENTS_INGEST_TOKENS_FANOUT_SECRET", TOKEN);
        env.put("BIGSEGMENTS_INGEST_TOKENS_FANOUT_ENVIRONMENTS", "*");
        return env;
    }
}
