package dev.bigsegments.store.writer;

import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.kafka.CompactedTopicView;
import dev.bigsegments.schemas.serde.AvroSerde;
import dev.bigsegments.schemas.serde.MembershipStateReader;
import dev.bigsegments.store.MembershipStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Wires one store writer to Kafka and runs it on its own thread: the consumer (read_committed, manual
 * commits), the admin client and the two views the freshness check reads, and the dead-letter producer.
 * Owns what it creates, not the store.
 */
public final class WriterRuntime implements AutoCloseable {
    /** Kafka calls give up after this, so an unreachable broker is an outage the writer waits out, not a hang. */
    private static final int ADMIN_TIMEOUT_MS = 15_000;

    private final Admin admin;
    private final PipelineStatus pipeline;
    private final DeadLetterSink deadLetters;
    private final MembershipWriter writer;
    private final Thread thread;

    private WriterRuntime(Admin admin, PipelineStatus pipeline, DeadLetterSink deadLetters, MembershipWriter writer) {
        this.admin = admin;
        this.pipeline = pipeline;
        this.deadLetters = deadLetters;
        this.writer = writer;
        this.thread = new Thread(writer, "store-writer-" + writer.hashCode());
    }

    public static WriterRuntime start(WriterOptions options, MembershipStore store, MeterRegistry registry) {
        Map<String, Object> common = new HashMap<>(options.serdeConfig());
        common.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        common.putAll(options.kafkaOverrides());
        Map<String, Object> adminConfig = new HashMap<>(common);
        adminConfig.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, ADMIN_TIMEOUT_MS);
        adminConfig.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, ADMIN_TIMEOUT_MS);
        Admin admin = Admin.create(adminConfig);
        PipelineStatus pipeline = new PipelineStatus(admin, options.topics(), options.processorApplicationId(),
                options.groupId(),
                new CompactedTopicView<>(options.topics().imports(), common,
                        AvroSerde.of(ImportStatus.class, options.serdeConfig()).deserializer()),
                new CompactedTopicView<>(options.topics().segments(), common,
                        AvroSerde.of(SegmentDefinition.class, options.serdeConfig()).deserializer()));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(options, common),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        RecordDecoder decoder = new RecordDecoder(
                MembershipStateReader.deserializer(options.serdeConfig()), options.environments(),
                options.otherEnvironments());
        DeadLetterSink deadLetters = new DeadLetterSink(common, options.topics().deadLetter(),
                options.source() + "/" + options.groupId());
        WriterRuntime runtime = new WriterRuntime(admin, pipeline, deadLetters, new MembershipWriter(options, consumer,
                store, pipeline, decoder, deadLetters, registry));
        runtime.thread.start();
        return runtime;
    }

    private static Map<String, Object> consumerConfig(WriterOptions options, Map<String, Object> common) {
        Map<String, Object> c = new HashMap<>(common);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, options.groupId());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, options.maxPollRecords());
        c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        // Eager rebalancing: every partition is revoked at once, so batches kept through an outage are dropped
        // whole and read again by the next owners, never half of them.
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        c.putAll(options.kafkaOverrides());
        return c;
    }

    public MembershipWriter writer() {
        return writer;
    }

    @Override
    public void close() {
        writer.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pipeline.close();
        deadLetters.close();
        admin.close();
    }
}
