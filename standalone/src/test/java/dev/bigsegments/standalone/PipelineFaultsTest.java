package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.FaultPipeline.SEGMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.DeadLetters;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.registry.StubConfluentRegistry;
import dev.bigsegments.testkit.FixtureProducer;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The faults a deployment meets first, other than a killed service ({@link FaultInjectionTest}), on the
 * packaged services as processes: Redis killed during an import and restarted with its data, Redis emptied,
 * the broker killed and restarted, the schema registry unreachable (these three with one shard per segment and
 * with 4), and records on every topic that no serializer of the project made. Each ends with the store
 * checked exactly and through the LaunchDarkly SDK.
 *
 * <p>CI runs short outages; the full run (README, "Faults other than a killed service"):
 * <pre>
 * ./mvnw -pl standalone verify -Dtest=PipelineFaultsTest -Dfault.import-keys=200000 \
 *     -Dfault.redis-outage-seconds=30 -Dfault.broker-outage-seconds=30 -Dfault.registry-outage-seconds=60
 * </pre>
 */
class PipelineFaultsTest {
    private static final int KEYS = Integer.getInteger("fault.import-keys", 100_000);
    private static final Duration REDIS_OUTAGE = seconds("fault.redis-outage-seconds", 15);
    private static final Duration BROKER_OUTAGE = seconds("fault.broker-outage-seconds", 15);
    private static final Duration REGISTRY_OUTAGE = seconds("fault.registry-outage-seconds", 20);
    private static final List<String> REPORT = new ArrayList<>();
    /** The processor at one shard per partition, and how the report says so. */
    private static final Map<String, String> SHARDED =
            Map.of("BIGSEGMENTS_PROCESSOR_SHARDS", String.valueOf(PipelineScenario.PARTITIONS));
    private static final String WITH_SHARDS = " with " + PipelineScenario.PARTITIONS + " shards";

    @AfterAll
    static void printReport() {
        System.out.println("fault | recovery after the fault ended | lost");
        REPORT.forEach(System.out::println);
    }

    @Test
    void redisKilledDuringAnImportIsWaitedOutAndTheStoreEndsExact() throws Exception {
        redisKilledDuringAnImport("fredis", Map.of(), "");
    }

    /** With 4 shards, every shard's part of the import meets the outage: the store still ends exact. */
    @Test
    void redisKilledDuringAShardedImportIsWaitedOutAndTheStoreEndsExact() throws Exception {
        redisKilledDuringAnImport("fredisshards", SHARDED, WITH_SHARDS);
    }

    private static void redisKilledDuringAnImport(String kind, Map<String, String> extra, String described)
            throws Exception {
        try (FaultPipeline p = FaultPipeline.start(scenario(kind), extra)) {
            String id = p.client.upload(SEGMENT, FaultPipeline.csv(0, KEYS));
            long handedOver = System.currentTimeMillis();
            await().atMost(FaultPipeline.WORK).pollInterval(Duration.ofMillis(20)).until(() -> p.members() >= KEYS / 5);
            p.redis.kill();
            long killed = System.nanoTime();
            assertThat(p.members()).as("killed before the import was written").isLessThan(KEYS);
            // The writer notices at its next batch and waits: not ready, saying why, and alive throughout.
            await().atMost(Duration.ofSeconds(30)).until(() -> p.writer.readiness().statusCode() == 503);
            assertThat(p.writer.readiness().asString()).contains("store unreachable");
            await().during(REDIS_OUTAGE.minusNanos(System.nanoTime() - killed)).atMost(REDIS_OUTAGE.plusSeconds(10))
                    .until(() -> p.writer.isAlive() && p.writer.readiness().statusCode() == 503);
            p.redis.restart();
            p.reconnect();
            long restarted = System.nanoTime();
            p.awaitExactAndStamped(id, 0, KEYS, handedOver);
            report("Redis SIGKILLed for " + REDIS_OUTAGE.toSeconds() + " s during a " + KEYS + "-key import"
                    + described, restarted);
            p.assertSdkSees(0, KEYS);
            await().atMost(Duration.ofSeconds(30)).until(() -> p.writer.readiness().statusCode() == 200);
            assertThat(p.writer.metrics()).containsPattern("bigsegments_writer_outages_total\\{cause=\"store\",[^}]*} [1-9]");
        }
    }

    @Test
    void aRedisThatComesBackEmptyIsRefilledAndNotStampedUntilWhole() throws Exception {
        int keys = Math.min(KEYS, 30_000);
        try (FaultPipeline p = FaultPipeline.start(scenario("fempty"), Map.of())) {
            String id = p.client.upload(SEGMENT, FaultPipeline.csv(0, keys));
            p.awaitExactAndStamped(id, 0, keys, System.currentTimeMillis() - 1);
            p.redis().flushall();
            long emptied = System.nanoTime();
            // Started after the flush, which took the old stamp with it: every stamp it sees must have every member.
            SynchronizedOnInvariant invariant = new SynchronizedOnInvariant(keys);
            invariant.handedOverAt(0);
            try (SynchronizedOnMonitor monitor = new SynchronizedOnMonitor(p.redis.uri(), p.scenario.prefix(),
                    invariant)) {
                await().atMost(FaultPipeline.WORK).pollInterval(Duration.ofMillis(100)).until(() ->
                        p.stamp() != null && p.members() == keys && invariant.checked() > 0);
                assertThat(monitor.failure()).isNull();
            }
            assertThat(invariant.violations()).as("a stamp over a store that was not whole").isEmpty();
            report("Redis emptied (FLUSHALL) after a " + keys + "-key import", emptied);
            p.assertExact(0, keys);
            p.assertSdkSees(0, keys);
            assertThat(p.writer.metrics()).containsPattern("bigsegments_writer_store_losses_total\\{[^}]*} [1-9]");
        }
    }

    @Test
    void theBrokerKilledDuringAnImportLosesNothing() throws Exception {
        brokerKilledDuringAnImport("fbroker", Map.of(), "");
    }

    /**
     * With 4 shards, the broker dies while the shards stage, vote on and apply the import: the transactions it
     * aborts are redone, every shard applies its part once, and the store ends exact.
     */
    @Test
    void theBrokerKilledDuringAShardedImportLosesNothing() throws Exception {
        brokerKilledDuringAnImport("fbrokershards", SHARDED, WITH_SHARDS);
    }

    private static void brokerKilledDuringAnImport(String prefix, Map<String, String> extra, String described)
            throws Exception {
        try (BrokerProcess broker = BrokerProcess.start()) {
            String name = unique(prefix);
            PipelineScenario scenario = new PipelineScenario(name, broker.bootstrapServers(), "mock://" + name);
            try (FaultPipeline p = FaultPipeline.start(scenario, extra)) {
                String id = p.client.upload(SEGMENT, FaultPipeline.csv(0, KEYS));
                long handedOver = System.currentTimeMillis();
                await().atMost(FaultPipeline.WORK).pollInterval(Duration.ofMillis(20))
                        .until(() -> p.members() >= KEYS / 5);
                broker.kill();
                long killed = System.nanoTime();
                assertThat(p.members()).as("killed before the import was written").isLessThan(KEYS);
                await().during(BROKER_OUTAGE).atMost(BROKER_OUTAGE.plusSeconds(10)).until(() ->
                        p.ingest.isAlive() && p.processor.isAlive() && p.writer.isAlive());
                broker.restart();
                long restarted = System.nanoTime();
                long outage = (restarted - killed) / 1_000_000_000;
                try {
                    p.awaitExactAndStamped(id, 0, KEYS, handedOver);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n--- broker ---\n" + broker.logTail(), e);
                }
                report("broker SIGKILLed for " + outage + " s during a " + KEYS + "-key import" + described,
                        restarted);
                p.assertSdkSees(0, KEYS);
            }
        }
    }

    @Test
    void aRegistryThatDoesNotAnswerIsWaitedForAndNothingIsSetAside() throws Exception {
        registryUnreachable("fregistry", Map.of(), "");
    }

    /** With 4 shards the router, restarted without the registry too, waits for it like the shards. */
    @Test
    void aRegistryThatDoesNotAnswerIsWaitedForWithShards() throws Exception {
        registryUnreachable("fregistryshards", SHARDED, WITH_SHARDS);
    }

    private static void registryUnreachable(String kind, Map<String, String> extra, String described)
            throws Exception {
        try (StubConfluentRegistry registry = new StubConfluentRegistry()) {
            String name = unique(kind);
            PipelineScenario scenario = new PipelineScenario(name, SharedServices.kafka().bootstrapServers(),
                    registry.url());
            try (FaultPipeline p = FaultPipeline.start(scenario, extra)) {
                String first = p.client.upload(SEGMENT, FaultPipeline.csv(0, 20_000));
                p.awaitExactAndStamped(first, 0, 20_000, System.currentTimeMillis() - 1);
                registry.stop();
                long stopped = System.currentTimeMillis();
                // Restarted now, the processor and the writer know no schema: they must wait, not drop anything.
                p.processor.kill();
                p.writer.kill();
                p.processor.start();
                p.writer.start();
                String second = p.client.upload(SEGMENT, FaultPipeline.csv(10_000, 40_000));
                // Refused connections while they start count as not ready yet.
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                        p.processor.readiness().statusCode() == 503 && p.writer.readiness().statusCode() == 503);
                assertThat(p.writer.readiness().asString()).contains("schema registry").contains("unreachable");
                await().during(REGISTRY_OUTAGE).atMost(REGISTRY_OUTAGE.plusSeconds(10)).until(() ->
                        p.processor.isAlive() && p.writer.isAlive() && p.members() == 20_000);
                registry.start();
                long restarted = System.nanoTime();
                p.awaitExactAndStamped(second, 10_000, 40_000, stopped);
                report("schema registry unreachable for " + REGISTRY_OUTAGE.toSeconds()
                        + " s, processor and writer restarted meanwhile" + described, restarted);
                p.assertSdkSees(10_000, 40_000);
                assertThat(deadLetters(scenario)).as("nothing set aside for a registry that did not answer").isEmpty();
            }
        }
    }

    @Test
    void recordsNoSerializerOfOursMadeGoToTheDeadLetterTopicAndThePipelineGoesOn() throws Exception {
        PipelineScenario scenario = scenario("fpoison");
        try (FaultPipeline p = FaultPipeline.start(scenario, Map.of())) {
            producePoison(scenario);
            String id = p.client.upload(SEGMENT, FaultPipeline.csv(0, 10_000));
            p.awaitExactAndStamped(id, 0, 10_000, System.currentTimeMillis() - 1);
            p.assertSdkSees(0, 10_000);
            Map<String, Long> byTopicAndReason = new HashMap<>();
            List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(scenario);
            for (ConsumerRecord<byte[], byte[]> letter : letters) {
                byTopicAndReason.merge(DeadLetters.header(letter.headers(), DeadLetters.TOPIC) + " "
                        + DeadLetters.header(letter.headers(), DeadLetters.REASON), 1L, Long::sum);
                assertThat(DeadLetters.header(letter.headers(), DeadLetters.OFFSET)).matches("\\d+");
                assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR_CLASS)).isNotBlank();
            }
            String commands = scenario.topics.commands();
            String membership = scenario.topics.membership();
            assertThat(byTopicAndReason).containsExactlyInAnyOrderEntriesOf(Map.of(
                    commands + " undecodable", 3L, commands + " invalid", 3L,
                    membership + " undecodable", 2L, membership + " invalid", 1L,
                    membership + " unknown-environment", 1L));
            assertThat(p.processor.metrics()).containsPattern(
                    "bigsegments_processor_dead_letters_total\\{reason=\"undecodable\",topic=\"" + commands
                            + "\"[^}]*} 3\\.0");
            assertThat(p.writer.metrics()).containsPattern(
                    "bigsegments_writer_dead_letters_total\\{reason=\"undecodable\",[^}]*} 2\\.0");
            for (ServiceProcess service : List.of(p.ingest, p.processor, p.writer)) {
                assertThat(service.readiness().statusCode()).isEqualTo(200);
            }
            assertOperatorsView(p, scenario);
        }
    }

    /**
     * With the services apart, the ingest service's status counts the dead letters by source and reason from
     * their topic, shows the writer's report, and answers counts and memberships from the processor's query
     * endpoint.
     */
    private static void assertOperatorsView(FaultPipeline p, PipelineScenario scenario) {
        JsonPath status = await().atMost(Duration.ofSeconds(30)).until(() -> p.client.get("/status"),
                s -> s.getLong("deadLetters.total") == 10 && s.getList("stores").size() == 1);
        assertThat(status.getMap("deadLetters.bySource.stream-processor"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("undecodable", 3, "invalid", 3));
        assertThat(status.getMap("deadLetters.bySource.'store-writer/" + scenario.name + "-writer-redis'"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("undecodable", 2, "invalid", 1, "unknown-environment", 1));
        assertThat(status.getMap("stores[0]")).containsEntry("store", "redis").containsEntry("reporting", true)
                .containsEntry("ready", true).containsEntry("lag", 0);
        assertThat(status.getLong("environments[0].stores[0].synchronizedOn")).isPositive();
        JsonPath segments = p.client.get("?prefix=" + SEGMENT);
        assertThat(segments.getMap("items[0]")).containsEntry("key", SEGMENT).containsEntry("included", 10_000)
                .containsEntry("excluded", 0);
        assertThat(p.client.get(SEGMENT + "/contexts/user-9999").getBoolean("included")).isTrue();
        assertThat(p.client.get(SEGMENT + "/contexts/user-10000").getBoolean("included")).isFalse();
    }

    /** Bytes of every kind on every topic: not Avro, a wrong magic byte, an unknown schema id, broken rules. */
    private static void producePoison(PipelineScenario scenario) {
        byte[] segmentKey = new SegmentId(scenario.environmentId, SEGMENT).toBytes();
        byte[] garbage = "not a record of ours".getBytes(StandardCharsets.UTF_8);
        byte[] wrongMagic = {7, 0, 0, 0, 1, 2, 3};
        byte[] unknownId = {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 3};
        Map<String, String> serde = Map.of("schema.registry.url", scenario.registry);
        try (FixtureProducer<byte[], byte[]> raw = new FixtureProducer<>(scenario.bootstrapServers,
                new ByteArraySerializer(), new ByteArraySerializer());
                FixtureProducer<byte[], SegmentCommand> commands = new FixtureProducer<>(scenario.bootstrapServers,
                        new ByteArraySerializer(), Topics.COMMANDS.valueSerializer(serde));
                FixtureProducer<byte[], MembershipState> membership = new FixtureProducer<>(
                        scenario.bootstrapServers, new ByteArraySerializer(),
                        Topics.MEMBERSHIP.valueSerializer(serde))) {
            String topic = scenario.topics.commands();
            raw.send(new ProducerRecord<>(topic, segmentKey, garbage));
            raw.send(new ProducerRecord<>(topic, segmentKey, wrongMagic));
            raw.send(new ProducerRecord<>(topic, segmentKey, unknownId));
            raw.send(new ProducerRecord<>(topic, segmentKey, null));
            commands.send(new ProducerRecord<>(topic, new SegmentId(scenario.environmentId, "elsewhere").toBytes(),
                    command(scenario.environmentId, SEGMENT)));
            commands.send(new ProducerRecord<>(topic, segmentKey, command(scenario.environmentId, "")));
            String members = scenario.topics.membership();
            byte[] member = new MembershipKey(scenario.environmentId, "x.g1", ContextHashes.digest("x")).toBytes();
            raw.send(new ProducerRecord<>(members, member, garbage));
            raw.send(new ProducerRecord<>(members, member, unknownId));
            raw.send(new ProducerRecord<>(members, garbage, null));
            membership.send(new ProducerRecord<>(members, new MembershipKey("env-nobody", "x.g1",
                    ContextHashes.digest("x")).toBytes(), MembershipState.newBuilder().setIncluded(true)
                    .setExcluded(false).setChanged(ChangedList.INCLUDED).setUpdatedAt(Instant.now()).build()));
            raw.send(new ProducerRecord<>(scenario.topics.segments(), "no-segment".getBytes(StandardCharsets.UTF_8),
                    garbage));
            raw.send(new ProducerRecord<>(scenario.topics.imports(), "no-import".getBytes(StandardCharsets.UTF_8),
                    wrongMagic));
            raw.flush();
            commands.flush();
            membership.flush();
        }
    }

    private static SegmentCommand command(String environmentId, String segmentKey) {
        return SegmentCommand.newBuilder().setCommandId(UUID.randomUUID().toString())
                .setEnvironmentId(environmentId).setSegmentKey(segmentKey).setTimestamp(Instant.now())
                .setPayload(new CreateSegment("x", "user", null)).build();
    }

    /** Everything on the scenario's dead-letter topic, read to its end. */
    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(PipelineScenario scenario) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, scenario.bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(scenario.topics.deadLetter()));
            Map<org.apache.kafka.common.TopicPartition, Long> ends = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
                if (ends.isEmpty() && !consumer.assignment().isEmpty()) {
                    ends.putAll(consumer.endOffsets(consumer.assignment()));
                }
                return !ends.isEmpty() && ends.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
        }
        return letters;
    }

    private static PipelineScenario scenario(String kind) throws Exception {
        return new PipelineScenario(unique(kind));
    }

    private static String unique(String kind) {
        return kind + Long.toHexString(System.nanoTime() & 0xfffff);
    }

    private static Duration seconds(String property, long defaultSeconds) {
        return Duration.ofSeconds(Long.getLong(property, defaultSeconds));
    }

    private static void report(String fault, long faultEndedNanos) {
        REPORT.add(String.format(Locale.ROOT, "%s | %.1f s | nothing", fault,
                (System.nanoTime() - faultEndedNanos) / 1e9));
    }
}
