package dev.bigsegments.cli.topics;

import dev.bigsegments.schemas.TopicNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The pipeline's topics as the broker has them, and what is wrong with them: the settings the
 * pipeline's correctness depends on, checked without changing anything.
 */
public final class TopicInspection {
    private static final long VISIBLE_TIMEOUT_SECONDS = 30;

    private TopicInspection() {
    }

    /** What a topic is for: its required cleanup policy. */
    enum Role {
        COMMANDS(TopicConfig.CLEANUP_POLICY_DELETE), COMPACTED(TopicConfig.CLEANUP_POLICY_COMPACT),
        DEAD_LETTER(TopicConfig.CLEANUP_POLICY_DELETE);

        final String policy;

        Role(String policy) {
            this.policy = policy;
        }
    }

    /** One topic as found; {@code partitions} is 0 when the topic does not exist. */
    public record Topic(String name, Role role, int partitions, int replicationFactor, String cleanupPolicy,
            String retentionMs, int minInSyncReplicas) {

        public boolean exists() {
            return partitions > 0;
        }
    }

    /** Every topic by role, in the order commands, membership, segments, imports, dead letters. */
    static Map<String, Role> roles(TopicNames names) {
        Map<String, Role> roles = new LinkedHashMap<>();
        roles.put(names.commands(), Role.COMMANDS);
        roles.put(names.membership(), Role.COMPACTED);
        roles.put(names.segments(), Role.COMPACTED);
        roles.put(names.imports(), Role.COMPACTED);
        roles.put(names.status(), Role.COMPACTED);
        roles.put(names.deadLetter(), Role.DEAD_LETTER);
        return roles;
    }

    /** Describes the topics; missing ones are returned with 0 partitions. */
    public static List<Topic> describe(Admin admin, TopicNames names) throws InterruptedException {
        Map<String, Role> roles = roles(names);
        Set<String> existing = get(admin.listTopics().names());
        List<String> present = roles.keySet().stream().filter(existing::contains).toList();
        Map<String, TopicDescription> descriptions = get(admin.describeTopics(present).allTopicNames());
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(present.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all());
        List<Topic> topics = new ArrayList<>();
        roles.forEach((name, role) -> {
            TopicDescription d = descriptions.get(name);
            if (d == null) {
                topics.add(new Topic(name, role, 0, 0, "-", "-", 0));
                return;
            }
            Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            topics.add(new Topic(name, role, d.partitions().size(), d.partitions().get(0).replicas().size(),
                    c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value(), c.get(TopicConfig.RETENTION_MS_CONFIG).value(),
                    Integer.parseInt(c.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value())));
        });
        return topics;
    }

    /**
     * Describes the topics once every broker knows them: a topic just created is known to the controller
     * before every broker has applied the metadata, and a describe in that window fails. Bounded wait.
     */
    public static List<Topic> describeCreated(Admin admin, TopicNames names) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(VISIBLE_TIMEOUT_SECONDS);
        while (true) {
            try {
                return describe(admin, names);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** What is wrong with the existing topics (missing ones are not problems here). */
    public static List<String> problems(List<Topic> topics) {
        List<String> problems = new ArrayList<>();
        for (Topic t : topics) {
            if (!t.exists()) {
                continue;
            }
            List<String> policies = List.of(t.cleanupPolicy().split(","));
            if (t.role() == Role.COMPACTED && !policies.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                problems.add("topic " + t.name() + " must have cleanup.policy=compact (it has " + t.cleanupPolicy()
                        + "): it holds the current truth that stores are rebuilt from; recreate it compacted");
            }
            if (t.role() == Role.COMMANDS && policies.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                problems.add("topic " + t.name() + " must have cleanup.policy=delete (it has " + t.cleanupPolicy()
                        + "): compaction would drop commands of a segment that are not processed yet");
            }
            if (t.minInSyncReplicas() > t.replicationFactor()) {
                problems.add("topic " + t.name() + " has min.insync.replicas=" + t.minInSyncReplicas()
                        + " above its replication factor " + t.replicationFactor() + ": every write would fail");
            }
        }
        return problems;
    }

    /**
     * Settings that work but differ from the advice or the request (partitions are never changed on a topic).
     *
     * @param requestedPartitions the count asked for, or 0 to compare the topics only with each other
     */
    public static List<String> notes(List<Topic> topics, int requestedPartitions) {
        List<String> notes = new ArrayList<>();
        List<Integer> counts = topics.stream().filter(Topic::exists).map(Topic::partitions).distinct().toList();
        if (counts.size() > 1) {
            notes.add("the topics have different partition counts " + counts + "; the same count on all of them is "
                    + "advised (docs/production.md, Topics and partitions)");
        }
        topics.stream().filter(t -> t.exists() && requestedPartitions > 0 && t.partitions() != requestedPartitions).forEach(t -> notes.add(
                "topic " + t.name() + " has " + t.partitions() + " partitions, not the " + requestedPartitions
                        + " asked for: an existing topic keeps its count (adding partitions moves keys)"));
        return notes;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin request failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
