package dev.bigsegments.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedDynalite;
import dev.bigsegments.embedded.FreePorts;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.testkit.DynamoDbBigSegmentStoreReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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
        PipelineScenario scenario = new PipelineScenario(NAME);
        int port = FreePorts.next();
        try (ServiceProcess processor = new ServiceProcess("stream-processor", scenario.processor()).start();
                ServiceProcess writer = new ServiceProcess("store-writer", writer(scenario)).start();
                ServiceProcess ingest = new ServiceProcess("ingest-service", scenario.ingest(port, TOKEN)).start()) {
            ImportClient client = new ImportClient(port, scenario, TOKEN);
            ingest.awaitReady();
            client.createSegment(SEGMENT);
            client.upload(SEGMENT, csv());

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

    /** The writer with both targets on, each with its own consumer group. */
    private static Map<String, String> writer(PipelineScenario scenario) {
        Map<String, String> env = scenario.writer(SharedServices.redis().uri());
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
}
