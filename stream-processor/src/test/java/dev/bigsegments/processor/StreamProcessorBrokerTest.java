package dev.bigsegments.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.processor.topology.ProcessorSettings;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.TopicSetup;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.ImportBegin;
import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.ImportCommit;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.IngestStats;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.kafka.CompactedTopicView;
import dev.bigsegments.testkit.FixtureProducer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same topology as the TopologyTestDriver tests, run with exactly-once on a real broker. */
class StreamProcessorBrokerTest {
    private static final Map<String, Object> SERDE = Map.of("schema.registry.url", "mock://processor-broker");
    private static final TopicNames TOPICS = TopicNames.namespaced("pb");
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start(null);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensureTopics(admin, TOPICS, 3, (short) 1);
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void aReplaceImportOnARealBrokerLeavesExactlyTheFileInTheCompactedTopic() throws Exception {
        Path stateDir = Files.createTempDirectory("pb-state");
        StreamProcessor.Options options = new StreamProcessor.Options(kafka.bootstrapServers(), "pb-processor",
                stateDir.toString(), 1, 0, TOPICS,
                ProcessorSettings.defaults().withSliceSize(500), SERDE, Map.of());
        SegmentId segment = new SegmentId("env-pb", "seg");
        try (StreamProcessor processor = StreamProcessor.start(options);
                FixtureProducer<byte[], SegmentCommand> producer = new FixtureProducer<>(kafka.bootstrapServers(),
                        new ByteArraySerializer(),
                        Topics.COMMANDS.valueSerializer(SERDE))) {
            send(producer, segment, "create", new CreateSegment("seg", "user", null));
            try (CompactedTopicView<ImportStatus> imports = new CompactedTopicView<>(TOPICS.imports(),
                    Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    Topics.IMPORTS.valueDeserializer(SERDE))) {
                importKeys(producer, segment, "first", 0, 5_000);
                awaitComplete(imports, "first");
                importKeys(producer, segment, "second", 1_000, 6_000);
                awaitComplete(imports, "second");
            }

            Set<String> expected = new HashSet<>();
            for (int i = 1_000; i < 6_000; i++) {
                expected.add(ContextHashes.hash("k" + i));
            }
            Map<MembershipKey, MembershipState> truth = new HashMap<>();
            try (KafkaConsumer<byte[], MembershipState> consumer = new KafkaConsumer<>(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(), "group.id", "pb-check",
                    "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                    new ByteArrayDeserializer(), Topics.MEMBERSHIP.valueDeserializer(SERDE))) {
                consumer.subscribe(List.of(TOPICS.membership()));
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                    for (ConsumerRecord<byte[], MembershipState> r : consumer.poll(Duration.ofMillis(200))) {
                        MembershipKey key = MembershipKey.fromBytes(r.key());
                        if (r.value() == null) {
                            truth.remove(key);
                        } else {
                            truth.put(key, r.value());
                        }
                    }
                    Set<String> included = new HashSet<>();
                    truth.forEach((k, v) -> {
                        if (v.getIncluded() && k.segmentRef().equals("seg.g1")) {
                            included.add(k.contextHash());
                        }
                    });
                    assertThat(included).isEqualTo(expected);
                });
            }
            assertThat(rocksDbOptions(stateDir, "members"))
                    .as("the members store is opened with RocksDbTuning's memtable bloom filter")
                    .contains("memtable_whole_key_filtering=true")
                    .containsPattern("memtable_prefix_bloom_size_ratio=0\\.02");
        }
    }

    /** The OPTIONS file RocksDB wrote when it opened the named store: the settings it really runs with. */
    private static String rocksDbOptions(Path stateDir, String store) throws IOException {
        try (Stream<Path> files = Files.walk(stateDir)) {
            Path options = files.filter(f -> f.getParent().endsWith(Path.of("rocksdb", store))
                    && f.getFileName().toString().startsWith("OPTIONS-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no RocksDB OPTIONS file for store " + store));
            return Files.readString(options);
        }
    }

    private static void awaitComplete(CompactedTopicView<ImportStatus> imports, String id) {
        await().atMost(Duration.ofMinutes(2)).until(() -> imports.get(id.getBytes(StandardCharsets.UTF_8)),
                s -> s != null && s.getStatus() == ImportState.COMPLETE);
    }

    private static void importKeys(FixtureProducer<byte[], SegmentCommand> producer, SegmentId segment, String id,
            int from, int to) {
        send(producer, segment, id + ":begin", new ImportBegin(id, ImportMode.REPLACE, null));
        long seq = 0;
        for (int i = from; i < to; i += 1_000) {
            List<ContextHash> chunk = new ArrayList<>();
            for (int k = i; k < Math.min(to, i + 1_000); k++) {
                chunk.add(new ContextHash(ContextHashes.digest("k" + k)));
            }
            send(producer, segment, id + ":" + seq, new ImportChunk(id, seq++, chunk, List.of()));
        }
        send(producer, segment, id + ":commit", new ImportCommit(id, seq,
                new IngestStats((long) (to - from), 0L, 0L, new ArrayList<>())));
        producer.flush();
    }

    private static void send(FixtureProducer<byte[], SegmentCommand> producer, SegmentId segment, String commandId,
            Object payload) {
        SegmentCommand command = SegmentCommand.newBuilder().setCommandId(commandId)
                .setEnvironmentId(segment.environmentId()).setSegmentKey(segment.segmentKey())
                .setTimestamp(Instant.now()).setPayload(payload).build();
        producer.send(new ProducerRecord<>(TOPICS.commands(), segment.toBytes(), command));
    }
}
