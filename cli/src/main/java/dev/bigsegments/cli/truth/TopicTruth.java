package dev.bigsegments.cli.truth;

import dev.bigsegments.cli.Progress;
import dev.bigsegments.cli.diff.HashSample;
import dev.bigsegments.cli.diff.Memberships;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.MembershipState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The memberships of one environment as the compacted membership topic states them: read from the
 * beginning up to the end of what was committed when reading began (read_committed, no consumer group),
 * each record setting both lists of its (hash, ref) and a tombstone clearing them.
 */
public final class TopicTruth {
    private static final Duration POLL = Duration.ofMillis(500);

    private TopicTruth() {
    }

    public static Memberships read(Map<String, Object> kafkaConfig, Map<String, Object> serdeConfig, String topic,
            String environmentId, HashSample sample, Progress progress) {
        Memberships truth = new Memberships();
        scan(kafkaConfig, serdeConfig, topic, progress, record -> apply(truth, record, environmentId, sample));
        return truth;
    }

    /**
     * Every record of the membership topic, partition by partition in offset order, up to the end of what was
     * committed when reading began, given to {@code each}; progress is drawn as the records are read.
     */
    public static void scan(Map<String, Object> kafkaConfig, Map<String, Object> serdeConfig, String topic,
            Progress progress, Consumer<ConsumerRecord<byte[], MembershipState>> each) {
        Properties p = new Properties();
        p.putAll(kafkaConfig);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bigsegments-cli-truth-" + UUID.randomUUID());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        try (KafkaConsumer<byte[], MembershipState> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                Topics.MEMBERSHIP.valueDeserializer(serdeConfig))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
            // Under read_committed these are the last stable offsets.
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
            long total = ends.entrySet().stream().mapToLong(e -> e.getValue() - starts.get(e.getKey())).sum();
            long done = 0;
            while (!reached(consumer, ends)) {
                for (ConsumerRecord<byte[], MembershipState> record : consumer.poll(POLL)) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        each.accept(record);
                    }
                }
                done = 0;
                for (TopicPartition tp : partitions) {
                    done += Math.min(consumer.position(tp), ends.get(tp)) - starts.get(tp);
                }
                progress.update(done, total);
            }
            progress.finish(total);
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    static void apply(Memberships truth, ConsumerRecord<byte[], MembershipState> record, String environmentId,
            HashSample sample) {
        MembershipKey key = MembershipKey.fromBytes(record.key());
        if (!key.environmentId().equals(environmentId) || !sample.includes(key.digest())) {
            return;
        }
        MembershipState state = record.value();
        truth.setState(key.contextHash(), key.segmentRef(), state != null && state.getIncluded(),
                state != null && state.getExcluded());
    }
}
