package dev.bigsegments.store.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.schemas.Backoff;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.DeadLetters;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.TopicSetup;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.store.redis.RedisMembershipStore;
import dev.bigsegments.testkit.Evaluation;
import dev.bigsegments.testkit.FixtureProducer;
import dev.bigsegments.testkit.RedisBigSegmentStoreReader;
import dev.bigsegments.testkit.SdkProbe;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer against the faults a store meets in production, on a real broker and a real redis-server that
 * is killed, emptied and restarted: nothing is lost, nothing is stamped while the store is behind or empty,
 * and records that are not the project's go to the dead-letter topic while the writer goes on.
 */
class MembershipWriterFaultsTest {
    private static final String ENV = "env-faults";
    private static final String REF = "seg.g1";
    private static final String REGISTRY = "mock://writer-faults";
    private static final Map<String, Object> SERDE = Map.of("schema.registry.url", REGISTRY);
    /** How long Redis stays down; the full fault suite keeps it down for 30 s (README, Fault injection). */
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("fault.redis-outage-seconds", 10));
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static EmbeddedKafka kafka;
    private EmbeddedRedis redis;
    private TopicNames topics;
    private String prefix;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(null);
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @BeforeEach
    void startRedis() throws Exception {
        redis = EmbeddedRedis.startDurable();
        String run = UUID.randomUUID().toString().substring(0, 8);
        topics = TopicNames.namespaced("wf" + run);
        prefix = "wf" + run;
        try (var admin = org.apache.kafka.clients.admin.Admin.create(
                Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensureTopics(admin, topics, 3, (short) 1);
        }
        client = RedisClient.create(redis.uri());
        connection = client.connect();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        connection.close();
        client.shutdown();
        redis.close();
    }

    @Test
    void aRedisKilledMidwayIsWaitedOutAndEveryMembershipArrivesAfterItsRestart() throws Exception {
        produceIncludes(0, 100_000);
        MembershipWriter writer = startWriter(true);
        await().atMost(PATIENCE).until(() -> includeCount() >= 20_000);
        redis.kill();
        produceIncludes(100_000, 150_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.status().outage() != null);
        assertThat(writer.status().outage().cause()).isEqualTo(Outage.Cause.STORE);
        // The outage itself: for all of it the writer keeps running, knows it waits, and is not ready.
        await().during(OUTAGE).atMost(OUTAGE.plusSeconds(5)).until(() -> writer.isRunning()
                && writer.status().outage() != null && !writer.status().ready());
        redis.restart();
        reconnect();
        awaitExactAndStamped(writer, 150_000);
        assertThat(writer.status().outage()).isNull();
        assertThat(writer.failure()).isNull();
        assertSdkSees(true, 0, 149_999);
    }

    @Test
    void aStoreEmptiedUnderTheWriterIsRefilledAndNotStampedUntilItIsWhole() throws Exception {
        produceIncludes(0, 50_000);
        MembershipWriter writer = startWriter(true);
        awaitExactAndStamped(writer, 50_000);
        AtomicReference<String> premature = new AtomicReference<>();
        connection.sync().flushall();
        // Started after the flush, which took the old stamp with it: any stamp it sees is a new one.
        try (StampMonitor monitor = new StampMonitor(50_000, premature)) {
            await().atMost(PATIENCE).until(() -> includeCount() == 50_000 && stamp() != null);
            assertThat(premature.get()).as("a stamp over a store that was not whole").isNull();
            assertThat(monitor.samples()).isPositive();
        }
        awaitExactAndStamped(writer, 50_000);
        assertSdkSees(true, 0, 49_999);
    }

    @Test
    void withRefillsOffAnEmptiedStoreStaysUnstampedAndTheWriterNotReady() throws Exception {
        produceIncludes(0, 5_000);
        MembershipWriter writer = startWriter(false);
        awaitExactAndStamped(writer, 5_000);
        connection.sync().flushall();
        await().atMost(PATIENCE).until(() -> !writer.status().lost().isEmpty());
        assertThat(writer.status().ready()).isFalse();
        produceIncludes(5_000, 6_000);
        await().atMost(PATIENCE).until(() -> includeCount() == 1_000);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> stamp() == null);
    }

    @Test
    void recordsThatAreNotTheProjectsGoToTheDeadLetterTopicAndTheWriterGoesOn() throws Exception {
        produceIncludes(0, 1_000);
        Map<String, byte[]> poison = new HashMap<>();
        poison.put("garbage bytes", "not avro at all".getBytes(StandardCharsets.UTF_8));
        poison.put("wrong magic byte", new byte[] {7, 0, 0, 0, 1, 2, 3});
        poison.put("unknown schema id", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 3});
        List<ProducerRecord<byte[], byte[]>> bad = new ArrayList<>();
        poison.forEach((what, value) -> bad.add(new ProducerRecord<>(topics.membership(), key(ENV, 7), value)));
        bad.add(new ProducerRecord<>(topics.membership(), "not a membership key".getBytes(StandardCharsets.UTF_8),
                null));
        bad.add(new ProducerRecord<>(topics.membership(), key("env-nobody-serves", 8), null));
        try (FixtureProducer<byte[], byte[]> producer = new FixtureProducer<>(kafka.bootstrapServers(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            bad.forEach(producer::send);
            producer.flush();
        }
        produceIncludes(1_000, 2_000);
        MembershipWriter writer = startWriter(true);
        awaitExactAndStamped(writer, 2_000);
        List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(bad.size());
        assertThat(letters).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                .containsExactlyInAnyOrder("undecodable", "undecodable", "undecodable", "invalid",
                        "unknown-environment");
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.TOPIC)).isEqualTo(topics.membership());
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.OFFSET)).matches("\\d+");
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.PARTITION)).matches("\\d+");
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR_CLASS)).isNotBlank();
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE)).endsWith("/" + prefix + "-writer");
        }
        assertThat(writer.isRunning()).isTrue();
    }

    // ---- fixtures ----

    private MembershipWriter startWriter(boolean rebuildOnLoss) {
        RedisMembershipStore store = RedisMembershipStore.builder().uri(redis.uri())
                .commandTimeout(Duration.ofSeconds(2)).prefixes(Map.of(ENV, prefix)).build();
        resources.add(store);
        WriterOptions options = WriterOptions.builder(kafka.bootstrapServers(), Set.of(ENV), SERDE)
                .groupId(prefix + "-writer").processorApplicationId(prefix + "-processor").topics(topics)
                .maxPollRecords(2_000).stampInterval(Duration.ofMillis(300))
                .backoff(Backoff.unlimited(Duration.ofMillis(50), Duration.ofSeconds(1)))
                .rebuildOnLoss(rebuildOnLoss).build();
        WriterRuntime runtime = WriterRuntime.start(options, store, new SimpleMeterRegistry());
        resources.add(runtime);
        return runtime.writer();
    }

    private void produceIncludes(int from, int to) {
        try (FixtureProducer<byte[], MembershipState> producer = new FixtureProducer<>(kafka.bootstrapServers(),
                new ByteArraySerializer(), Topics.MEMBERSHIP.valueSerializer(SERDE))) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topics.membership(), key(ENV, i), MembershipState.newBuilder()
                        .setIncluded(true).setExcluded(false).setChanged(ChangedList.INCLUDED)
                        .setUpdatedAt(Instant.now()).build()));
            }
            producer.flush();
        }
    }

    private static byte[] key(String environment, int i) {
        return new MembershipKey(environment, REF, ContextHashes.digest("user-" + i)).toBytes();
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLetters(int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + prefix, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.deadLetter()));
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
                return letters.size() >= expected;
            });
        }
        assertThat(letters).hasSize(expected);
        return letters;
    }

    private void reconnect() {
        connection.close();
        connection = client.connect();
    }

    private long includeCount() {
        try {
            long keys = connection.sync().dbsize();
            long writerKeys = connection.sync().keys(prefix + ":big_segments_*").size();
            return keys - writerKeys;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private String stamp() {
        return connection.sync().get(prefix + ":big_segments_synchronized_on");
    }

    private void awaitExactAndStamped(MembershipWriter writer, int members) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> includeCount() == members
                && writer.status().refilling().isEmpty() && stamp() != null);
        for (int i = 0; i < members; i += Math.max(1, members / 500)) {
            assertThat(connection.sync().smembers(prefix + ":big_segment_include:" + ContextHashes.hash("user-" + i)))
                    .as("user-%d", i).containsExactly(REF);
        }
    }

    private void assertSdkSees(boolean included, int... users) {
        try (SdkProbe probe = SdkProbe.forSegment("seg", 1, new RedisBigSegmentStoreReader(redis.uri(), prefix),
                Duration.ofMinutes(2))) {
            for (int user : users) {
                assertThat(probe.evaluate("user-" + user)).isEqualTo(Evaluation.healthy(included));
            }
        }
    }

    /**
     * Samples the store while it is refilled: a stamp is only ever seen with every membership present. The
     * stamp is read first and the count after, so a correct stamp cannot raise a false alarm.
     */
    private final class StampMonitor implements AutoCloseable {
        private final Thread thread;
        private final StatefulRedisConnection<String, String> own = client.connect();
        private volatile boolean running = true;
        private volatile int samples;

        StampMonitor(long members, AtomicReference<String> premature) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        String stamp = own.sync().get(prefix + ":big_segments_synchronized_on");
                        long count = own.sync().dbsize() - own.sync().keys(prefix + ":big_segments_*").size();
                        if (stamp != null && count < members) {
                            premature.compareAndSet(null, "stamp " + stamp + " with " + count + " members");
                        }
                        samples++;
                    } catch (RuntimeException e) {
                        // Redis busy with the flush: the next sample reads again
                    }
                }
            }, "stamp-monitor");
            thread.start();
        }

        int samples() {
            return samples;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
            own.close();
        }
    }
}
