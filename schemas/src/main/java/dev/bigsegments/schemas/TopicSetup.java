package dev.bigsegments.schemas;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the pipeline's topics with their required settings (idempotent) and checks the settings
 * the pipeline's correctness depends on. The one way topics are made, for every deployment.
 */
public final class TopicSetup {
    public static final int DEFAULT_PARTITIONS = 6;
    private static final long VISIBLE_TIMEOUT_SECONDS = 30;

    private TopicSetup() {
    }

    /** Creates any missing topic; existing topics are left as they are, then verified. */
    public static void ensureTopics(Admin admin, TopicNames topics, int partitions, short replicationFactor)
            throws InterruptedException {
        List<NewTopic> wanted = Topics.ALL.stream().map(t -> new NewTopic(t.name(topics), partitions,
                replicationFactor).configs(t.settings(replicationFactor))).toList();
        Set<String> existing = get(admin.listTopics().names());
        List<NewTopic> missing = new ArrayList<>();
        for (NewTopic topic : wanted) {
            if (!existing.contains(topic.name())) {
                missing.add(topic);
            }
        }
        createIgnoringRaces(admin, missing);
        List<String> compacted = Topics.ALL.stream().filter(Topic::compacted).map(t -> t.name(topics)).toList();
        awaitVisible(admin, wanted.stream().map(NewTopic::name).toList());
        verifyCompacted(admin, compacted);
    }

    /**
     * Creates the stream processor's shard topic ({@link Shards#topic}) when it is missing, as the commands topic
     * is (its partitions, replication factor and settings), and waits until it can be used.
     *
     * @return its partitions
     * @throws IllegalStateException when it exists with another partition count than the commands topic
     */
    public static int ensureShardTopic(Admin admin, TopicNames topics) throws InterruptedException {
        String name = Shards.topic(topics);
        TopicDescription commands = get(admin.describeTopics(List.of(topics.commands())).allTopicNames())
                .get(topics.commands());
        int partitions = commands.partitions().size();
        short replicas = (short) commands.partitions().get(0).replicas().size();
        createIgnoringRaces(admin, List.of(new NewTopic(name, partitions, replicas)
                .configs(Topics.COMMANDS.settings(replicas))));
        awaitVisible(admin, List.of(name));
        int existing = get(admin.describeTopics(List.of(name)).allTopicNames()).get(name).partitions().size();
        if (existing != partitions) {
            throw new IllegalStateException("the shard topic " + name + " has " + existing + " partitions and "
                    + topics.commands() + " " + partitions + ": they must be equal");
        }
        return partitions;
    }

    /**
     * Records a sharded processor's shard count ({@link Shards#layoutChangelog}) for an application id whose state is
     * made outside Kafka Streams ({@code shards migrate}): the changelog topic, compacted, with the shard topic's
     * partitions and replication, as Kafka Streams would make it.
     */
    public static void ensureLayoutTopic(Admin admin, TopicNames topics, String applicationId, int shards)
            throws InterruptedException {
        TopicDescription shardTopic = get(admin.describeTopics(List.of(Shards.topic(topics))).allTopicNames())
                .get(Shards.topic(topics));
        String name = Shards.layoutChangelog(applicationId, shards);
        createIgnoringRaces(admin, List.of(new NewTopic(name, shardTopic.partitions().size(),
                (short) shardTopic.partitions().get(0).replicas().size())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        awaitVisible(admin, List.of(name));
    }

    /**
     * A created topic is known to the controller before every broker has applied the metadata; a describe
     * in that window fails with an unknown topic, and a produce to a partition whose leader is not elected yet
     * is refused. Waits (bounded) until each topic can be described and every partition has a leader.
     */
    public static void awaitVisible(Admin admin, Collection<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(VISIBLE_TIMEOUT_SECONDS);
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        while (true) {
            try {
                admin.describeConfigs(resources).all().get();
                boolean led = admin.describeTopics(names).allTopicNames().get().values().stream()
                        .flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (led) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + names + " have partitions without a leader after "
                            + VISIBLE_TIMEOUT_SECONDS + " s");
                }
                Thread.sleep(100);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + names + " not visible after "
                            + VISIBLE_TIMEOUT_SECONDS + " s: " + e.getCause().getMessage(), e.getCause());
                }
                Thread.sleep(100);
            }
        }
    }

    /** Refuses to run on a membership (or state) topic that is not compacted: it would lose the truth. */
    public static void verifyCompacted(Admin admin, Collection<String> names) throws InterruptedException {
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all());
        for (Map.Entry<ConfigResource, Config> e : configs.entrySet()) {
            String policy = e.getValue().get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                throw new IllegalStateException("topic " + e.getKey().name() + " must have cleanup.policy=compact"
                        + " (it has " + policy + "): it holds the current truth that stores are rebuilt from");
            }
        }
    }

    private static void createIgnoringRaces(Admin admin, List<NewTopic> missing) throws InterruptedException {
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin request failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
