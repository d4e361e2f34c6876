package dev.bigsegments.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.processor.state.WorkItem;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.SegmentRef;
import dev.bigsegments.schemas.TopicNames;
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
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MemberOp;
import dev.bigsegments.schemas.avro.MembershipChange;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Drives the real topology with TopologyTestDriver and keeps the membership topic's current truth
 * (what compaction would leave), so tests read results as a consumer of the topic would.
 */
final class TopologyHarness implements AutoCloseable {
    static final String ENV = "env-1";

    final Map<String, Object> serdeConfig = Map.of("schema.registry.url", "mock://topology-" + UUID.randomUUID());
    final TopicNames topics = TopicNames.defaults();
    final TopologyTestDriver driver;
    private final TestInputTopic<byte[], SegmentCommand> commands;
    private final TestOutputTopic<byte[], MembershipState> membership;
    private final TestOutputTopic<byte[], ImportStatus> imports;
    private final TestOutputTopic<byte[], SegmentDefinition> segments;
    private final TestInputTopic<byte[], byte[]> rawCommands;
    private final TestOutputTopic<byte[], byte[]> deadLetterTopic;
    /** Dead letters written so far, in order. */
    final List<TestRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    /** Current truth: membership key (env/ref/hash) to state. */
    final Map<MembershipKey, MembershipState> truth = new HashMap<>();
    final Map<String, ImportStatus> importStatus = new HashMap<>();
    final Map<String, SegmentDefinition> definitions = new HashMap<>();
    long membershipRecords;

    /** A harness whose background work runs in slices of {@code sliceSize} keys; imports are abandoned after 5 minutes. */
    static TopologyHarness withSlices(int sliceSize) {
        try {
            return new TopologyHarness(ProcessorSettings.defaults().withSliceSize(sliceSize)
                    .withAbandonAfter(java.time.Duration.ofMinutes(5)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    TopologyHarness(ProcessorSettings settings) throws Exception {
        Properties props = new Properties();
        props.putAll(serdeConfig);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("topology-test").toString());
        driver = new TopologyTestDriver(SegmentTopology.build(topics, settings, serdeConfig), props, Instant.EPOCH);
        commands = driver.createInputTopic(topics.commands(), new ByteArraySerializer(),
                Topics.COMMANDS.valueSerializer(serdeConfig));
        membership = driver.createOutputTopic(topics.membership(), new ByteArrayDeserializer(),
                Topics.MEMBERSHIP.valueDeserializer(serdeConfig));
        imports = driver.createOutputTopic(topics.imports(), new ByteArrayDeserializer(),
                Topics.IMPORTS.valueDeserializer(serdeConfig));
        segments = driver.createOutputTopic(topics.segments(), new ByteArrayDeserializer(),
                Topics.SEGMENTS.valueDeserializer(serdeConfig));
        rawCommands = driver.createInputTopic(topics.commands(), new ByteArraySerializer(), new ByteArraySerializer());
        deadLetterTopic = driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    void send(String segmentKey, String commandId, Object payload) {
        send(new SegmentId(ENV, segmentKey).toBytes(), SegmentCommand.newBuilder().setCommandId(commandId)
                .setEnvironmentId(ENV).setSegmentKey(segmentKey).setTimestamp(Instant.now()).setPayload(payload)
                .build());
    }

    /** A command under any key, as a direct producer could send it. */
    void send(byte[] key, SegmentCommand command) {
        commands.pipeInput(key, command);
        drain();
    }

    /** Bytes no serializer of the project made. */
    void sendRaw(byte[] key, byte[] value) {
        rawCommands.pipeInput(key, value);
        drain();
    }

    void send(String segmentKey, Object payload) {
        send(segmentKey, UUID.randomUUID().toString(), payload);
    }

    void create(String segmentKey) {
        send(segmentKey, new CreateSegment(segmentKey, "user", null));
    }

    void change(String segmentKey, MemberList list, MemberOp op, String... keys) {
        List<MemberChange> changes = new ArrayList<>();
        for (String k : keys) {
            changes.add(new MemberChange(list, op, hash(k), null));
        }
        send(segmentKey, new MembershipChange(changes));
    }

    /** Begins, stages (in chunks of chunkSize) and optionally commits an import. */
    void importKeys(String segmentKey, String importId, ImportMode mode, List<String> keys, int chunkSize,
            boolean commit) {
        send(segmentKey, importId + ":begin", new ImportBegin(importId, mode, "list.csv"));
        long seq = 0;
        for (int i = 0; i < keys.size(); i += chunkSize) {
            List<ContextHash> chunk = new ArrayList<>();
            for (String k : keys.subList(i, Math.min(keys.size(), i + chunkSize))) {
                chunk.add(hash(k));
            }
            send(segmentKey, importId + ":" + seq, new ImportChunk(importId, seq++, chunk, List.of()));
        }
        if (commit) {
            send(segmentKey, importId + ":commit", new ImportCommit(importId, seq,
                    new IngestStats((long) keys.size(), 0L, 0L, new ArrayList<>())));
        }
    }

    /** Lets the punctuator run until no work is left (bounded). */
    void runBackgroundWork() {
        for (int i = 0; i < 10_000 && hasWork(); i++) {
            driver.advanceWallClockTime(Duration.ofMillis(100));
            drain();
        }
        drain();
    }

    /** True while work other than an import waiting for its chunks is queued. */
    boolean hasWork() {
        try (var it = driver.<String, byte[]>getKeyValueStore(SegmentTopology.WORK_STORE).all()) {
            while (it.hasNext()) {
                if (WorkItem.fromBytes(it.next().value).phase() != WorkItem.Phase.STAGING) {
                    return true;
                }
            }
            return false;
        }
    }

    void drain() {
        for (TestRecord<byte[], MembershipState> r : membership.readRecordsToList()) {
            membershipRecords++;
            MembershipKey key = MembershipKey.fromBytes(r.key());
            if (r.value() == null) {
                truth.remove(key);
            } else {
                truth.put(key, r.value());
            }
        }
        imports.readRecordsToList().forEach(r -> importStatus.put(r.value().getImportId(), r.value()));
        segments.readRecordsToList().forEach(r -> definitions.put(r.value().getSegmentKey(), r.value()));
        deadLetters.addAll(deadLetterTopic.readRecordsToList());
    }

    /** Store-form hashes included in the given segment generation, per the topic's truth. */
    java.util.Set<String> included(String segmentKey, int generation) {
        return members(segmentKey, generation, true);
    }

    java.util.Set<String> excluded(String segmentKey, int generation) {
        return members(segmentKey, generation, false);
    }

    private java.util.Set<String> members(String segmentKey, int generation, boolean included) {
        String ref = SegmentRef.of(segmentKey, generation);
        java.util.Set<String> out = new java.util.HashSet<>();
        truth.forEach((k, v) -> {
            if (k.segmentRef().equals(ref) && (included ? v.getIncluded() : v.getExcluded())) {
                out.add(k.contextHash());
            }
        });
        return out;
    }

    static ContextHash hash(String key) {
        return new ContextHash(ContextHashes.digest(key));
    }

    static java.util.Set<String> hashes(List<String> keys) {
        java.util.Set<String> out = new java.util.HashSet<>();
        keys.forEach(k -> out.add(ContextHashes.hash(k)));
        return out;
    }

    static List<String> keys(String prefix, int from, int to) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i < to; i++) {
            keys.add(prefix + i);
        }
        return keys;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The import is complete with these counts of keys staged, duplicates, members added and members removed. */
    void assertComplete(String importId, long keysStaged, long duplicates, long added, long removed) {
        ImportStatus status = importStatus.get(importId);
        assertThat(status.getStatus()).isEqualTo(ImportState.COMPLETE);
        assertThat(List.of(status.getKeysStaged(), status.getDuplicates(),
                status.getAdded(), status.getRemoved())).as("keys staged, duplicates, added, removed")
                .containsExactly(keysStaged, duplicates, added, removed);
    }

    /**
     * A second list for a segment of u0..u599: u300..u899, then u300..u350 and u310 again (52 duplicates, 300 keys
     * added and 300 left out).
     */
    static List<String> listWithDuplicates() {
        List<String> file = new ArrayList<>(keys("u", 300, 900));
        file.addAll(keys("u", 300, 351));
        file.add("u310");
        return file;
    }

    @Override
    public void close() {
        driver.close();
    }
}
