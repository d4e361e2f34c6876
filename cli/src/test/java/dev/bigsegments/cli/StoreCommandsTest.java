package dev.bigsegments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.testkit.Evaluation;
import dev.bigsegments.testkit.RedisBigSegmentStoreReader;
import dev.bigsegments.testkit.SdkProbe;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rebuild, verify and repair against a real Kafka broker and a real Redis server, with a 200,000-context
 * membership topic, checked key by key and through the LaunchDarkly SDK.
 */
class StoreCommandsTest {
    private static final String ENVIRONMENT = "env-cli";
    private static final int CONTEXTS = 200_000;
    private static final TopicNames TOPICS = MembershipTopicFixture.topics("cli-store-test");

    private static EmbeddedKafka kafka;
    private static EmbeddedRedis redis;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static MembershipTopicFixture truth;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(null);
        redis = EmbeddedRedis.start();
        client = RedisClient.create(redis.uri());
        connection = client.connect();
        MembershipTopicFixture.createTopics(kafka.bootstrapServers(), TOPICS);
        truth = new MembershipTopicFixture(ENVIRONMENT, CONTEXTS);
        truth.produce(kafka.bootstrapServers(), TOPICS.membership());
    }

    @AfterAll
    static void stop() {
        if (connection != null) {
            connection.close();
            client.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void rebuildRestoresAFlushedStoreExactlyAndTheSdkReportsHealthy() throws Exception {
        CommandRun sync = rebuild("restored", "sync-group");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        Map<String, Set<String>> synced = RedisContents.memberships(connection, "restored");
        assertThat(RedisContents.differences(synced, truth.expectedRedis("restored"), 10)).isEmpty();

        connection.sync().flushall();
        CommandRun restore = rebuild("restored", "restore-group");

        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.out()).contains("rebuilt environment " + ENVIRONMENT).contains("restore-group");
        assertThat(RedisContents.differences(RedisContents.memberships(connection, "restored"), synced, 10)).isEmpty();
        assertThat(connection.sync().get("restored:big_segments_synchronized_on")).isNotBlank();
        try (SdkProbe alpha = SdkProbe.forSegment("alpha", 1, new RedisBigSegmentStoreReader(redis.uri(), "restored"),
                Duration.ofMinutes(2))) {
            int included = 2;
            int excluded = 10;
            int tombstoned = 8;
            assertThat(truth.included(included) && truth.excluded(excluded) && !truth.included(tombstoned)
                    && !truth.excluded(tombstoned)).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(alpha.evaluate(MembershipTopicFixture.contextKey(included)))
                            .as(alpha.capturedLogs()).isEqualTo(Evaluation.healthy(true)));
            assertThat(alpha.evaluate(MembershipTopicFixture.contextKey(excluded))).isEqualTo(Evaluation.healthy(false));
            assertThat(alpha.evaluate(MembershipTopicFixture.contextKey(tombstoned)))
                    .isEqualTo(Evaluation.healthy(false));
        }
    }

    @Test
    void rebuildRefusesATargetThatAlreadyHoldsMemberships() {
        connection.sync().sadd("occupied:big_segment_include:" + ContextHashes.hash("someone"), "alpha.g1");

        CommandRun run = rebuild("occupied", "occupied-group");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("refused").contains("already holds memberships");
    }

    @Test
    void verifyReportsExactlyTheDamageRepairFixesItAndVerifyThenPasses() throws Exception {
        CommandRun built = rebuild("damaged", "damage-group");
        assertThat(built.exitCode()).as(built.toString()).isZero();
        RedisCommands<String, String> r = connection.sync();
        Map<String, Set<String>> before = RedisContents.memberships(connection, "damaged");

        List<String> keys = new ArrayList<>(new TreeSet<>(before.keySet()));
        long missing = 0;
        for (int i = 0; i < keys.size(); i += 100) {
            missing += before.get(keys.get(i)).size();
            r.del(keys.get(i));
        }
        String wrongTypeKey = keys.get(1);
        missing += before.get(wrongTypeKey).size();
        r.del(wrongTypeKey);
        r.set(wrongTypeKey, "not a set");
        String strayHash = ContextHashes.hash("never-seen");
        r.sadd("damaged:big_segment_include:" + strayHash, "stray.g9");
        r.sadd("damaged:big_segment_include:" + ContextHashes.hash(MembershipTopicFixture.contextKey(2)), "stray.g9");
        r.sadd("damaged:big_segment_include:" + ContextHashes.hash(MembershipTopicFixture.contextKey(4)), "stray.g9");

        CommandRun verify = verify("damaged");
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCodes.DIFFERENCES);
        assertThat(verify.out())
                .contains(String.format("total: %,d missing, %,d extra, %,d keys of the wrong type", missing, 3, 1))
                .containsPattern("stray\\.g9 +included +0 +3")
                .contains(strayHash)
                .contains(wrongTypeKey.substring(wrongTypeKey.lastIndexOf(':') + 1))
                .doesNotContain("ctx-").doesNotContain("never-seen");

        CommandRun repair = CommandRun.of(withStore("repair", "damaged"));
        assertThat(repair.exitCode()).as(repair.toString()).isZero();
        assertThat(RedisContents.differences(RedisContents.memberships(connection, "damaged"), before, 10)).isEmpty();

        CommandRun again = verify("damaged");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("total: 0 missing, 0 extra, 0 keys of the wrong type").contains("identical");
    }

    @Test
    void aSampledVerifyChecksOnlyItsShareOfTheContexts() {
        CommandRun built = rebuild("sampled", "sample-group");
        assertThat(built.exitCode()).as(built.toString()).isZero();

        CommandRun run = CommandRun.of(withStore("verify", "sampled", "--sample-rate", "0.01"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        long checked = Long.parseLong(run.out().replaceAll("(?s).*: ([0-9,]+) memberships in the topic.*", "$1")
                .replace(",", ""));
        assertThat(checked).isBetween(CONTEXTS / 200L, CONTEXTS / 50L);
    }

    private static CommandRun rebuild(String prefix, String group) {
        return CommandRun.of(withStore("rebuild", prefix, "--group-id", group, "--stamp-interval", "PT0.5S"));
    }

    private static CommandRun verify(String prefix) {
        return CommandRun.of(withStore("verify", prefix));
    }

    private static String[] withStore(String command, String prefix, String... more) {
        List<String> args = new ArrayList<>(List.of("--redis-url", redis.uri(), "--prefix", prefix, "--environment", ENVIRONMENT));
        args.addAll(List.of(more));
        return MembershipTopicFixture.command(command, kafka.bootstrapServers(), TOPICS, args);
    }

}
