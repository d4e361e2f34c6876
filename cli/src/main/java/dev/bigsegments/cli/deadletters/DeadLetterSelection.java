package dev.bigsegments.cli.deadletters;

import dev.bigsegments.cli.KafkaOptions;
import dev.bigsegments.schemas.DeadLetters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Option;

/** Which dead letters a command works on: every record of the topic, narrowed by source topic and reason. */
public final class DeadLetterSelection {
    private static final Duration POLL = Duration.ofMillis(500);

    @Option(names = "--source-topic", description = "Only records that came from this topic.")
    String sourceTopic;

    @Option(names = "--reason", description = "Only records set aside for this reason: undecodable, invalid, "
            + "unknown-environment, processing-failed.")
    String reason;

    @Option(names = "--from-offset", defaultValue = "0",
            description = "Only records at or after this offset of their dead-letter partition (default: ${DEFAULT-VALUE}).")
    long fromOffset;

    /** The selected records, read from the start of each partition to the end it had when reading began. */
    List<ConsumerRecord<byte[], byte[]>> read(KafkaOptions kafka) {
        Map<String, Object> config = new HashMap<>(kafka.kafkaConfig());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bigsegments-dead-letters-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> selected = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            String topic = kafka.topics().deadLetter();
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition())) && matches(r)) {
                        selected.add(r);
                    }
                }
            }
        }
        return selected;
    }

    private boolean matches(ConsumerRecord<byte[], byte[]> r) {
        return r.offset() >= fromOffset
                && (sourceTopic == null || sourceTopic.equals(DeadLetters.header(r.headers(), DeadLetters.TOPIC)))
                && (reason == null || reason.equals(DeadLetters.header(r.headers(), DeadLetters.REASON)));
    }
}
