package dev.bigsegments.bench;

import dev.bigsegments.schemas.Shards;
import dev.bigsegments.schemas.TopicNames;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * How many records topics hold: the sum of their partitions' end offsets (transaction markers included, one per
 * partition a transaction wrote to). The difference over an import is what it cost in Kafka records.
 */
final class TopicRecords {
    private TopicRecords() {
    }

    /**
     * The topics an import writes records to on its way from the ingest service to the store writer, with their
     * labels: commands, the shard topic (with shards), membership, and the changelog of the processor's members store
     * ({@code SegmentTopology.MEMBERS_STORE}, "members").
     */
    static Map<String, String> processorTopics(TopicNames names, String processorApplicationId, boolean sharded) {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put(names.commands(), "commands");
        if (sharded) {
            topics.put(Shards.topic(names), "shard topic");
        }
        topics.put(names.membership(), "membership");
        topics.put(processorApplicationId + "-members-changelog", "members changelog");
        return topics;
    }

    /** End offsets summed per topic, in the order given; a topic that does not exist is an error. */
    static Map<String, Long> count(String bootstrapServers, List<String> topics) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        topics.forEach(t -> counts.put(t, 0L));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get();
            List<String> missing = topics.stream().filter(t -> !existing.contains(t)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("no topic " + missing + " to count the records of");
            }
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
                d.partitions().forEach(p -> ends.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            admin.listOffsets(ends).all().get().forEach((tp, info) -> counts.merge(tp.topic(), info.offset(), Long::sum));
        }
        return counts;
    }

    /**
     * "commands 112, ..., members changelog 1,000,004: 2.00 per key" from the counts before and after an import of
     * {@code keys}.
     */
    static String perKey(Map<String, Long> before, Map<String, Long> after, Map<String, String> labels, int keys) {
        long total = 0;
        StringBuilder out = new StringBuilder();
        for (String topic : after.keySet()) {
            long added = after.get(topic) - before.get(topic);
            total += added;
            out.append(out.isEmpty() ? "" : ", ").append(String.format("%s %,d", labels.getOrDefault(topic, topic), added));
        }
        return out.append(String.format(": %.2f per key", total / (double) keys)).toString();
    }
}
