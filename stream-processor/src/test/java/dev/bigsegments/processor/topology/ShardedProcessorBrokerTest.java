package dev.bigsegments.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.processor.StreamProcessor;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.DeadLetters;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.ShardMessage;
import dev.bigsegments.schemas.Shards;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.TopicSetup;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.ImportCommit;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.IngestStats;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.kafka.CompactedTopicView;
import dev.bigsegments.testkit.FixtureProducer;
import dev.bigsegments.testkit.MembershipTopicContents;
import dev.bigsegments.testkit.SegmentCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A processor with 4 shards on a 4-partition commands topic, as two instances of one application id, with
 * exactly-once on a real broker: a segment's import is applied by every shard, whole-segment commands reach
 * every shard once, and a commit that one shard cannot apply changes nothing in any shard.
 */
class ShardedProcessorBrokerTest {
    private static final Map<String, Object> SERDE = Map.of("schema.registry.url", "mock://sharded-broker");
    private static final TopicNames TOPICS = TopicNames.namespaced("sharded");
    private static final int SHARDS = 4;
    private static EmbeddedKafka kafka;
    private static StreamProcessor first;
    private static StreamProcessor second;
    private static FixtureProducer<byte[], SegmentCommand> producer;
    private static SegmentCommands commands;
    private static CompactedTopicView<ImportStatus> imports;
    private static CompactedTopicView<SegmentDefinition> segments;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(null);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensureTopics(admin, TOPICS, SHARDS, (short) 1);
        }
        first = StreamProcessor.start(options(SHARDS));
        second = StreamProcessor.start(options(SHARDS));
        producer = new FixtureProducer<>(kafka.bootstrapServers(), new ByteArraySerializer(),
                Topics.COMMANDS.valueSerializer(SERDE));
        commands = new SegmentCommands(producer, TOPICS.commands());
        Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        imports = new CompactedTopicView<>(TOPICS.imports(), client, Topics.IMPORTS.valueDeserializer(SERDE));
        segments = new CompactedTopicView<>(TOPICS.segments(), client, Topics.SEGMENTS.valueDeserializer(SERDE));
    }

    private static StreamProcessor.Options options(int shards) throws Exception {
        return new StreamProcessor.Options(kafka.bootstrapServers(), "sharded-processor",
                Files.createTempDirectory("sharded-state").toString(), 1, 0, TOPICS,
                ProcessorSettings.defaults().withSliceSize(500).withShards(shards), SERDE, Map.of());
    }

    @AfterAll
    static void stop() {
        imports.close();
        segments.close();
        producer.close();
        first.close();
        second.close();
        kafka.close();
    }

    @Test
    void aReplaceImportWithMembersAndRemovalsInEveryShardLeavesExactlyTheFile() {
        SegmentId segment = new SegmentId("env-sharded", "replace");
        commands.send(segment, "replace:create", new CreateSegment("replace", "user", null));
        commands.replace(segment, "replace-1", 0, 5_000);
        assertThat(awaitOver("replace-1").getStatus()).isEqualTo(ImportState.COMPLETE);
        commands.replace(segment, "replace-2", 1_000, 6_000);
        ImportStatus second = awaitOver("replace-2");

        assertThat(second.getStatus()).isEqualTo(ImportState.COMPLETE);
        assertThat(second.getAdded()).isEqualTo(1_000);
        assertThat(second.getRemoved()).isEqualTo(1_000);
        assertThat(second.getKeysStaged()).isEqualTo(5_000);
        assertThat(shardsOf(0, 1_000)).as("the removed keys lie in every shard").hasSize(SHARDS);
        assertThat(shardsOf(5_000, 6_000)).as("the added keys lie in every shard").hasSize(SHARDS);
        assertThat(included(segment, "replace.g1")).isEqualTo(SegmentCommands.hashes(1_000, 6_000));
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            SegmentDefinition definition = segments.get(segment.toBytes());
            assertThat(definition.getMembers()).as("members summed over the shards").isEqualTo(5_000);
            assertThat(definition.getActiveImportId()).isNull();
        });
    }

    @Test
    void aCommitThatOneShardCannotApplyChangesNothingInAnyShard() throws Exception {
        SegmentId segment = new SegmentId("env-sharded", "refused");
        commands.send(segment, "refused:create", new CreateSegment("refused", "user", null));
        commands.replace(segment, "refused-1", 0, 3_000);
        assertThat(awaitOver("refused-1").getStatus()).isEqualTo(ImportState.COMPLETE);

        long chunks = commands.beginAndChunks(segment, "refused-2", 2_000, 5_000);
        await().atMost(Duration.ofMinutes(1)).until(() -> imports.get(bytes("refused-2")),
                s -> s != null && s.getKeysStaged() == 3_000);
        // A chunk no sender announced, straight to shard 2: that shard finds the import not whole at its commit.
        SegmentCommand forged = SegmentCommands.command(segment, "refused-2:forged", new ImportChunk("refused-2", chunks,
                List.of(new ContextHash(ContextHashes.digest("forged"))), List.of()));
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Shards.topic(TOPICS), Shards.partition(segment, 2, SHARDS),
                    Shards.key(segment, 2), ShardMessage.toBytes(new ShardMessage.Command(forged)))).get();
        }
        commands.send(segment, "refused-2:commit", new ImportCommit("refused-2", chunks,
                new IngestStats(3_000L, 0L, 0L, new ArrayList<>())));
        ImportStatus refused = awaitOver("refused-2");

        assertThat(refused.getStatus()).isEqualTo(ImportState.STOPPED);
        assertThat(refused.getError()).startsWith("shard 2 of 4: ").contains("beyond the count");
        assertThat(refused.getAdded()).isZero();
        assertThat(refused.getRemoved()).isZero();
        assertThat(included(segment, "refused.g1")).isEqualTo(SegmentCommands.hashes(0, 3_000));
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            SegmentDefinition definition = segments.get(segment.toBytes());
            assertThat(definition.getMembers()).isEqualTo(3_000);
            assertThat(definition.getActiveImportId()).as("every shard takes another import").isNull();
        });
    }

    @Test
    void aProcessorStartedWithAnotherShardCountIsRefusedBeforeItJoinsTheApplication() throws Exception {
        String layout = Shards.layoutChangelog("sharded-processor", SHARDS);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            await().atMost(Duration.ofMinutes(1)).until(() -> admin.listTopics().names().get().contains(layout));
        }

        assertThatThrownBy(() -> StreamProcessor.start(options(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bigsegments.processor.shards is 2 but application sharded-processor has its"
                        + " state laid out in 4 shards");
        try (StreamProcessor unsharded = StreamProcessor.start(options(1))) {
            await().atMost(Duration.ofMinutes(1)).until(() -> unsharded.state() == KafkaStreams.State.NOT_RUNNING);
            assertThat(unsharded.refusal()).startsWith("bigsegments.processor.shards is 1 but application"
                    + " sharded-processor has its state laid out in 4 shards");
        }

        SegmentId segment = new SegmentId("env-sharded", "after-refusals");
        commands.send(segment, "after-refusals:create", new CreateSegment("after-refusals", "user", null));
        commands.replace(segment, "after-refusals-1", 0, 1_000);
        assertThat(awaitOver("after-refusals-1").getStatus()).as("the two processors go on with 4 shards")
                .isEqualTo(ImportState.COMPLETE);
        assertThat(included(segment, "after-refusals.g1")).isEqualTo(SegmentCommands.hashes(0, 1_000));
    }

    @Test
    void aWholeSegmentCommandReachesEveryShardExactlyOnce() {
        SegmentId segment = new SegmentId("env-sharded", "broadcast");
        commands.send(segment, "broadcast:create", new CreateSegment("broadcast", "user", null));
        Map<Integer, Integer> copies = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "group.id", "sharded-broadcast-check", "auto.offset.reset", "earliest",
                "isolation.level", "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Shards.topic(TOPICS)));
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    // Other tests' segments share the topic (one of them with bytes that are no shard message).
                    if (!Shards.segmentOf(r.key()).equals(segment)) {
                        continue;
                    }
                    if (ShardMessage.fromBytes(r.value()) instanceof ShardMessage.Command c
                            && c.command().getCommandId().equals("broadcast:create")) {
                        int shard = Shards.shardOf(r.key());
                        assertThat(r.partition()).isEqualTo(Shards.partition(segment, shard, SHARDS));
                        copies.merge(shard, 1, Integer::sum);
                    }
                }
                assertThat(copies).isEqualTo(Map.of(0, 1, 1, 1, 2, 1, 3, 1));
            });
            // Nothing more comes: each shard had it once.
            for (int i = 0; i < 5; i++) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> assertThat(Shards.segmentOf(r.key()).equals(segment)
                        && ShardMessage.fromBytes(r.value()) instanceof ShardMessage.Command c
                        && c.command().getCommandId().equals("broadcast:create")).isFalse());
            }
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> segments.get(segment.toBytes()), d -> d != null);
    }

    @Test
    void bytesNoSerializerOfOursMadeAreSetAsideByTheRouterAndByTheShardsAlike() throws Exception {
        SegmentId segment = new SegmentId("env-sharded", "garbage");
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(TOPICS.commands(), segment.toBytes(), new byte[] {0, 0, 0, 0, 42, 1})).get();
            raw.send(new ProducerRecord<>(Shards.topic(TOPICS), Shards.partition(segment, 1, SHARDS),
                    Shards.key(segment, 1), new byte[] {9, 9, 9})).get();
        }
        // The pipeline goes on: a command after them is applied.
        commands.send(segment, "garbage:create", new CreateSegment("garbage", "user", null));
        Map<String, String> reasons = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "group.id", "sharded-dead-letters", "auto.offset.reset", "earliest",
                "isolation.level", "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPICS.deadLetter()));
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    reasons.put(new String(r.headers().lastHeader(DeadLetters.TOPIC).value(), StandardCharsets.UTF_8),
                            new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8));
                }
                assertThat(reasons).containsEntry(TOPICS.commands(), DeadLetters.Reason.UNDECODABLE.tag())
                        .containsEntry(Shards.topic(TOPICS), DeadLetters.Reason.UNDECODABLE.tag());
            });
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> segments.get(segment.toBytes()), d -> d != null);
    }

    private static Set<Integer> shardsOf(int from, int to) {
        Set<Integer> shards = new HashSet<>();
        for (int i = from; i < to; i++) {
            shards.add(Shards.of(ContextHashes.digest("k" + i), SHARDS));
        }
        return shards;
    }

    private static Set<String> included(SegmentId segment, String segmentRef) {
        return MembershipTopicContents.read(kafka.bootstrapServers(), SERDE, TOPICS.membership())
                .included(segment.environmentId(), segmentRef);
    }

    private static ImportStatus awaitOver(String id) {
        return await().atMost(Duration.ofMinutes(2)).until(() -> imports.get(bytes(id)),
                s -> s != null && (s.getStatus() == ImportState.COMPLETE || s.getStatus() == ImportState.STOPPED));
    }

    private static byte[] bytes(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
