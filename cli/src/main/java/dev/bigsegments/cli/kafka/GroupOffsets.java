package dev.bigsegments.cli.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** Consumer-group questions the commands ask before they touch a group's offsets. */
public final class GroupOffsets {
    private GroupOffsets() {
    }

    /** Members currently in the group; zero for a group that does not exist. */
    public static int activeMembers(Admin admin, String groupId) throws InterruptedException {
        try {
            ConsumerGroupDescription d = get(admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                    .get(groupId));
            return d.members().size();
        } catch (GroupIdNotFoundException e) {
            return 0;
        }
    }

    /** Committed offsets of the group on the partitions; a partition without one is absent. */
    public static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String groupId,
            List<TopicPartition> partitions) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(
                Map.of(groupId, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)))
                .partitionsToOffsetAndMetadata(groupId));
        offsets.values().removeIf(java.util.Objects::isNull);
        return offsets;
    }

    /** Offsets per partition for one spec (earliest, latest, a timestamp); -1 when no record matches. */
    public static Map<TopicPartition, Long> list(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> result = new java.util.HashMap<>();
        get(admin.listOffsets(request).all()).forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }

    /** Resets the group's offsets; the group must have no active members. */
    public static void alter(Admin admin, String groupId, Map<TopicPartition, OffsetAndMetadata> offsets)
            throws InterruptedException {
        get(admin.alterConsumerGroupOffsets(groupId, offsets).all());
    }

    private static <T> T get(KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException notFound) {
                throw notFound;
            }
            throw new IllegalStateException("Kafka admin request failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
