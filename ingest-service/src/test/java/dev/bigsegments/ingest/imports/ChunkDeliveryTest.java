package dev.bigsegments.ingest.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.IngestMetrics;
import dev.bigsegments.ingest.publish.CommandPublisher;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.TopicSetup;
import dev.bigsegments.schemas.avro.ImportAbort;
import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.ImportCommit;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A chunk that Kafka refuses (here: a record of about 4 MiB, past the real broker's message size limit) is
 * never followed by a commit: the upload sends an abort naming it, so the import stops and changes nothing.
 */
class ChunkDeliveryTest {
    private static final TopicNames TOPICS = TopicNames.namespaced("chunk-delivery");
    private static final Map<String, Object> SERDE = Map.of("schema.registry.url", "mock://chunk-delivery");
    private static final SegmentId SEGMENT = new SegmentId("env-1", "seg");
    /** 33 bytes per key in Avro: 130,000 keys make a record past 4 MiB; the second chunk holds one key. */
    private static final int CHUNK_SIZE = 130_000;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start(null);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensureTopics(admin, TOPICS, 1, (short) 1);
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void aChunkKafkaRefusesIsNamedInAnAbortAndNoCommitIsSent() throws Exception {
        Path csv = Files.createTempFile("oversized-chunk", ".csv");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i <= CHUNK_SIZE; i++) {
            rows.append("key-").append(i).append('\n');
        }
        Files.writeString(csv, rows);
        Map<String, Object> client = new java.util.HashMap<>(SERDE);
        client.put("bootstrap.servers", kafka.bootstrapServers());
        try (CommandPublisher publisher = new CommandPublisher(client, SERDE, TOPICS.commands())) {
            new ImportUpload("imp-1", SEGMENT, ImportMode.REPLACE, csv, new Csv(), publisher,
                    new IngestMetrics(new SimpleMeterRegistry())).run();
        }

        List<SegmentCommand> sent = commands(client);
        assertThat(sent).noneMatch(c -> c.getPayload() instanceof ImportCommit);
        assertThat(sent).filteredOn(c -> c.getPayload() instanceof ImportChunk)
                .extracting(c -> ((ImportChunk) c.getPayload()).getSequence()).containsExactly(1L);
        ImportAbort abort = sent.stream().filter(c -> c.getPayload() instanceof ImportAbort)
                .map(c -> (ImportAbort) c.getPayload()).findFirst().orElseThrow();
        assertThat(abort.getReason()).startsWith("1 of 2 chunk(s) could not be published to Kafka (chunk(s) [0]:")
                .contains("RecordTooLargeException").endsWith("upload the file again");
        assertThat(abort.getStats().getRowsRead()).isEqualTo(CHUNK_SIZE + 1);
        assertThat(csv).doesNotExist();
    }

    private static List<SegmentCommand> commands(Map<String, Object> client) {
        Map<String, Object> c = new java.util.HashMap<>(client);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<SegmentCommand> out = new ArrayList<>();
        try (KafkaConsumer<byte[], SegmentCommand> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                AvroSerde.of(SegmentCommand.class, SERDE).deserializer())) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(TOPICS.commands(), 0)));
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // The abort is the last command the upload sends: read until it is there.
            while (out.stream().noneMatch(s -> s.getPayload() instanceof ImportAbort) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
        }
        return out;
    }

    /** The CSV settings of the service, with chunks large enough that one is past Kafka's record limit. */
    private static final class Csv implements IngestConfig.Csv {
        @Override
        public int maxKeyBytes() {
            return 256;
        }

        @Override
        public long maxKeys() {
            return 10_000_000;
        }

        @Override
        public long maxRejectedRows() {
            return 1000;
        }

        @Override
        public long maxFileBytes() {
            return 1L << 31;
        }

        @Override
        public int chunkSize() {
            return CHUNK_SIZE;
        }
    }
}
