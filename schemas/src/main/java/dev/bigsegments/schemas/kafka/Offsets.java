package dev.bigsegments.schemas.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** Offset arithmetic shared by the views, the writer's caught-up check and the replay tools. */
public final class Offsets {
    private Offsets() {
    }

    /** The last stable offset of each partition: the end of what read_committed consumers can see. */
    public static Map<TopicPartition, Long> committedEnds(Admin admin, Collection<TopicPartition> partitions)
            throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        ListOffsetsResult result = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : get(result.all()).entrySet()) {
            ends.put(e.getKey(), e.getValue().offset());
        }
        return ends;
    }

    /** Partitions of a topic. */
    public static java.util.List<TopicPartition> partitions(Admin admin, String topic) throws InterruptedException {
        return get(admin.describeTopics(java.util.List.of(topic)).allTopicNames()).get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /**
     * Total records of {@code topic} that consumer group {@code groupId} has not committed past
     * (a partition with no committed offset counts from its start).
     */
    public static long groupLag(Admin admin, String groupId, String topic) throws InterruptedException {
        java.util.List<TopicPartition> partitions = partitions(admin, topic);
        Map<TopicPartition, Long> ends = committedEnds(admin, partitions);
        Map<TopicPartition, Long> progress = groupProgress(admin, groupId, partitions);
        long lag = 0;
        for (TopicPartition tp : partitions) {
            lag += Math.max(0, ends.get(tp) - progress.get(tp));
        }
        return lag;
    }

    /** Whether consumer group {@code groupId} has committed at least {@code offsets} on every partition given. */
    public static boolean groupReached(Admin admin, String groupId, Map<TopicPartition, Long> offsets)
            throws InterruptedException {
        Map<TopicPartition, Long> progress = groupProgress(admin, groupId, offsets.keySet());
        return offsets.entrySet().stream().allMatch(e -> progress.get(e.getKey()) >= e.getValue());
    }

    /** Where the group is on each partition: its committed offset, or the partition's start when it has none. */
    private static Map<TopicPartition, Long> groupProgress(Admin admin, String groupId,
            Collection<TopicPartition> partitions) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(
                Map.of(groupId, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)))
                .partitionsToOffsetAndMetadata(groupId));
        Map<TopicPartition, Long> starts = earliest(admin, partitions);
        Map<TopicPartition, Long> progress = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            progress.put(tp, c == null ? starts.get(tp) : c.offset());
        }
        return progress;
    }

    private static Map<TopicPartition, Long> earliest(Admin admin, Collection<TopicPartition> partitions)
            throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.earliest()));
        Map<TopicPartition, Long> starts = new HashMap<>();
        get(admin.listOffsets(request).all()).forEach((tp, info) -> starts.put(tp, info.offset()));
        return starts;
    }

    static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin request failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
