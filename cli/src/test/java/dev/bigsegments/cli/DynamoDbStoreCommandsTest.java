package dev.bigsegments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedDynalite;
import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.store.dynamodb.DynamoDbTables;
import dev.bigsegments.testkit.DynamoDbBigSegmentStoreReader;
import dev.bigsegments.testkit.Evaluation;
import dev.bigsegments.testkit.SdkProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Rebuild, verify and repair of a DynamoDB store against a real Kafka broker and dynalite, checked item by
 * item and through the LaunchDarkly SDK. Smaller than the Redis test: dynalite takes one UpdateItem per context.
 */
class DynamoDbStoreCommandsTest {
    private static final String ENVIRONMENT = "env-cli-dynamo";
    private static final int CONTEXTS = 4_000;
    private static final String TABLE = "bigsegments-cli";
    private static final String REGION = "us-east-1";
    private static final TopicNames TOPICS = MembershipTopicFixture.topics("cli-dynamodb-test");
    // The CLI takes credentials from the AWS default chain; dynalite checks that requests are signed, not by whom.
    private static final String ACCESS_KEY_PROPERTY = "aws.accessKeyId";
    private static final String SECRET_KEY_PROPERTY = "aws.secretAccessKey";

    private static EmbeddedKafka kafka;
    private static EmbeddedDynalite dynalite;
    private static DynamoDbAsyncClient client;
    private static MembershipTopicFixture truth;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty(ACCESS_KEY_PROPERTY, "test");
        System.setProperty(SECRET_KEY_PROPERTY, "test");
        kafka = EmbeddedKafka.start(null);
        dynalite = EmbeddedDynalite.start();
        client = DynamoDbAsyncClient.builder().endpointOverride(dynalite.endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        DynamoDbTables.createMissing(client, List.of(TABLE));
        MembershipTopicFixture.createTopics(kafka.bootstrapServers(), TOPICS);
        truth = new MembershipTopicFixture(ENVIRONMENT, CONTEXTS);
        truth.produce(kafka.bootstrapServers(), TOPICS.membership());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (dynalite != null) {
            dynalite.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        System.clearProperty(ACCESS_KEY_PROPERTY);
        System.clearProperty(SECRET_KEY_PROPERTY);
    }

    @Test
    void rebuildIntoAnEmptyTablePrefixRestoresExactlyAndTheSdkReportsHealthy() {
        CommandRun run = rebuild("restored", "dynamo-restore-group");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("rebuilt environment " + ENVIRONMENT).contains("table " + TABLE);
        assertThat(RedisContents.differences(DynamoDbContents.memberships(client, TABLE, "restored"),
                truth.expectedRedis("restored"), 10)).isEmpty();
        try (SdkProbe alpha = SdkProbe.forSegment("alpha", 1,
                new DynamoDbBigSegmentStoreReader(dynalite.endpoint(), TABLE, "restored"), Duration.ofMinutes(2))) {
            int included = 2;
            int excluded = 10;
            assertThat(truth.included(included) && truth.excluded(excluded)).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(alpha.evaluate(MembershipTopicFixture.contextKey(included)))
                            .as(alpha.capturedLogs()).isEqualTo(Evaluation.healthy(true)));
            assertThat(alpha.evaluate(MembershipTopicFixture.contextKey(excluded))).isEqualTo(Evaluation.healthy(false));
        }
    }

    @Test
    void rebuildRefusesATablePrefixThatAlreadyHoldsMemberships() {
        client.putItem(b -> b.tableName(TABLE).item(Map.of(
                "namespace", AttributeValue.fromS("occupied:big_segments_user"),
                "key", AttributeValue.fromS(ContextHashes.hash("someone")),
                "included", AttributeValue.fromSs(List.of("alpha.g1"))))).join();

        CommandRun run = rebuild("occupied", "dynamo-occupied-group");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("refused").contains("already holds memberships");
    }

    @Test
    void verifyReportsExactlyTheDamageRepairFixesItAndVerifyThenPasses() {
        CommandRun built = rebuild("damaged", "dynamo-damage-group");
        assertThat(built.exitCode()).as(built.toString()).isZero();
        Map<String, Set<String>> before = DynamoDbContents.memberships(client, TABLE, "damaged");

        // Deleted items: every 50th membership item loses all its refs.
        Set<String> hashes = new TreeSet<>();
        before.keySet().forEach(k -> hashes.add(k.substring(k.lastIndexOf(':') + 1)));
        List<String> ordered = new ArrayList<>(hashes);
        long missing = 0;
        for (int i = 0; i < ordered.size(); i += 50) {
            String hash = ordered.get(i);
            missing += refs(before, "damaged:big_segment_include:" + hash) + refs(before, "damaged:big_segment_exclude:" + hash);
            client.deleteItem(b -> b.tableName(TABLE).key(key("damaged", hash))).join();
        }
        // An attribute of the wrong type: the SDK reads it as no membership, UpdateItem ADD fails on it.
        String wrongTypeHash = ordered.stream().skip(1).filter(h -> before.containsKey("damaged:big_segment_include:" + h))
                .findFirst().orElseThrow();
        String wrongTypeKey = "damaged:big_segment_include:" + wrongTypeHash;
        missing += refs(before, wrongTypeKey);
        client.updateItem(b -> b.tableName(TABLE).key(key("damaged", wrongTypeHash))
                .updateExpression("SET included = :s")
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("not a set")))).join();
        // Stray refs: one on a context the topic never had, two on contexts it has.
        String strayHash = ContextHashes.hash("never-seen");
        for (String hash : List.of(strayHash, ContextHashes.hash(MembershipTopicFixture.contextKey(2)),
                ContextHashes.hash(MembershipTopicFixture.contextKey(4)))) {
            client.updateItem(b -> b.tableName(TABLE).key(key("damaged", hash)).updateExpression("ADD included :r")
                    .expressionAttributeValues(Map.of(":r", AttributeValue.fromSs(List.of("stray.g9"))))).join();
        }

        CommandRun verify = verify("damaged");
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCodes.DIFFERENCES);
        assertThat(verify.out())
                .contains(String.format("total: %,d missing, %,d extra, %,d keys of the wrong type", missing, 3, 1))
                .containsPattern("stray\\.g9 +included +0 +3")
                .contains(strayHash)
                .contains(wrongTypeHash)
                .doesNotContain("ctx-").doesNotContain("never-seen");

        CommandRun repair = CommandRun.of(withStore("repair", "damaged"));
        assertThat(repair.exitCode()).as(repair.toString()).isZero();
        assertThat(repair.out()).contains(String.format("deleted 1 sets of the wrong type, added %,d and removed 3",
                missing));
        assertThat(RedisContents.differences(DynamoDbContents.memberships(client, TABLE, "damaged"), before, 10))
                .isEmpty();

        CommandRun again = verify("damaged");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("total: 0 missing, 0 extra, 0 keys of the wrong type").contains("identical");
    }

    @Test
    void aStoreNamedTwiceIsAUsageErrorThatTouchesNothing() {
        CommandRun run = CommandRun.of(withStore("verify", "twice", "--redis-url", "redis://127.0.0.1:1"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--redis-url and --dynamodb-table name two stores");
    }

    private static long refs(Map<String, Set<String>> memberships, String key) {
        return memberships.getOrDefault(key, Set.of()).size();
    }

    private static Map<String, AttributeValue> key(String prefix, String hash) {
        return Map.of("namespace", AttributeValue.fromS(prefix + ":big_segments_user"), "key", AttributeValue.fromS(hash));
    }

    private static CommandRun rebuild(String prefix, String group) {
        return CommandRun.of(withStore("rebuild", prefix, "--group-id", group, "--stamp-interval", "PT0.5S"));
    }

    private static CommandRun verify(String prefix) {
        return CommandRun.of(withStore("verify", prefix));
    }

    private static String[] withStore(String command, String prefix, String... more) {
        List<String> args = new ArrayList<>(List.of("--dynamodb-table", TABLE, "--dynamodb-endpoint", dynalite.endpoint().toString(),
                "--aws-region", REGION, "--prefix", prefix, "--environment", ENVIRONMENT));
        args.addAll(List.of(more));
        return MembershipTopicFixture.command(command, kafka.bootstrapServers(), TOPICS, args);
    }
}
