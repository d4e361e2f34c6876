package dev.bigsegments.testkit;

import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.MembershipState;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the compacted membership topic states, read from its beginning (read_committed) until nothing new came
 * for 3 s: each record sets its context's state in its segment reference, a tombstone clears it.
 */
public record MembershipTopicContents(Map<MembershipKey, MembershipState> states) {
    private static final Duration QUIET = Duration.ofSeconds(3);

    public static MembershipTopicContents read(String bootstrapServers, Map<String, ?> serdeConfig, String topic) {
        Map<MembershipKey, MembershipState> states = new HashMap<>();
        try (KafkaConsumer<byte[], MembershipState> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrapServers, "group.id", "membership-contents-" + System.nanoTime(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                new ByteArrayDeserializer(), Topics.MEMBERSHIP.valueDeserializer(serdeConfig))) {
            consumer.subscribe(List.of(topic));
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < QUIET.toNanos()) {
                for (ConsumerRecord<byte[], MembershipState> r : consumer.poll(Duration.ofMillis(200))) {
                    quietSince = System.nanoTime();
                    MembershipKey key = MembershipKey.fromBytes(r.key());
                    if (r.value() == null) {
                        states.remove(key);
                    } else {
                        states.put(key, r.value());
                    }
                }
            }
        }
        return new MembershipTopicContents(states);
    }

    /** The context hashes included in the segment reference of the environment. */
    public Set<String> included(String environmentId, String segmentRef) {
        return select(environmentId, segmentRef, true);
    }

    /** The context hashes excluded in the segment reference of the environment. */
    public Set<String> excluded(String environmentId, String segmentRef) {
        return select(environmentId, segmentRef, false);
    }

    private Set<String> select(String environmentId, String segmentRef, boolean included) {
        Set<String> out = new HashSet<>();
        states.forEach((k, v) -> {
            if (k.environmentId().equals(environmentId) && k.segmentRef().equals(segmentRef)
                    && (included ? v.getIncluded() : v.getExcluded())) {
                out.add(k.contextHash());
            }
        });
        return out;
    }
}
