package dev.bigsegments.writer;

import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.kafka.CompactedTopicView;
import dev.bigsegments.schemas.serde.AvroSerde;
import dev.bigsegments.writer.store.MembershipStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Wires one store writer to Kafka and runs it on its own thread: the consumer (read_committed, manual
 * commits), the admin client and the two views the caught-up check reads. Owns what it creates, not
 * the store.
 */
public final class WriterRuntime implements AutoCloseable {
    private final Admin admin;
    private final PipelineStatus pipeline;
    private final MembershipWriter writer;
    private final Thread thread;

    private WriterRuntime(Admin admin, PipelineStatus pipeline, MembershipWriter writer) {
        this.admin = admin;
        this.pipeline = pipeline;
        this.writer = writer;
        this.thread = new Thread(writer, "store-writer-" + writer.hashCode());
    }

    public static WriterRuntime start(WriterOptions options, MembershipStore store, MeterRegistry registry) {
        Map<String, Object> common = new HashMap<>(options.serdeConfig());
        common.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        common.putAll(options.kafkaOverrides());
        Admin admin = Admin.create(common);
        PipelineStatus pipeline = new PipelineStatus(admin, options.topics(), options.processorApplicationId(),
                options.groupId(),
                new CompactedTopicView<>(options.topics().imports(), common,
                        AvroSerde.of(ImportStatus.class, options.serdeConfig()).deserializer()),
                new CompactedTopicView<>(options.topics().segments(), common,
                        AvroSerde.of(SegmentDefinition.class, options.serdeConfig()).deserializer()));
        KafkaConsumer<byte[], MembershipState> consumer = new KafkaConsumer<>(consumerConfig(options, common),
                new ByteArrayDeserializer(), AvroSerde.of(MembershipState.class, options.serdeConfig()).deserializer());
        WriterRuntime runtime = new WriterRuntime(admin, pipeline, new MembershipWriter(options, consumer, store,
                pipeline, registry));
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
        admin.close();
    }
}
