package dev.bigsegments.cli;

import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.TopicSetup;
import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.serde.AvroSerde;
import dev.bigsegments.testkit.FixtureProducer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the membership topic's truth directly, as the stream processor would, and computes independently
 * (from the store layout specification, not from the code under test) the Redis keys it should produce.
 * Context {@code i} is in segment ref {@code i % 2}: included, or excluded for every tenth; afterwards
 * a second pass, far behind in the topic, removes some contexts (tombstones) and moves others to excluded.
 * Another environment's records share the topic.
 */
final class MembershipTopicFixture {
    static final String REGISTRY_URL = "mock://bigsegments";
    static final String[] REFS = {"alpha.g1", "beta.g2"};
    static final int TOMBSTONED = 500;
    static final int MOVED = 500;
    /** Records of another environment, which no command on this one may touch. */
    static final int OTHER_ENVIRONMENT = 1_000;

    private final int contexts;
    private final String environment;
    private final Map<Integer, boolean[]> states = new HashMap<>();

    MembershipTopicFixture(String environment, int contexts) {
        this.environment = environment;
        this.contexts = contexts;
    }

    static TopicNames topics(String name) {
        return TopicNames.namespaced(name);
    }

    /** A store command's arguments: the command, the broker and the topics, then {@code more}. */
    static String[] command(String command, String bootstrapServers, TopicNames topics, List<String> more) {
        List<String> args = new ArrayList<>(List.of(command, "--bootstrap-servers", bootstrapServers,
                "--commands-topic", topics.commands(), "--membership-topic", topics.membership(),
                "--segments-topic", topics.segments(), "--imports-topic", topics.imports(),
                "--dead-letter-topic", topics.deadLetter()));
        args.addAll(more);
        return args.toArray(String[]::new);
    }

    static void createTopics(String bootstrapServers, TopicNames topics) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            TopicSetup.ensureTopics(admin, topics, 6, (short) 1);
        }
    }

    static String contextKey(int i) {
        return "ctx-" + i;
    }

    static String ref(int i) {
        return REFS[i % 2];
    }

    void produce(String bootstrapServers, String topic) {
        try (FixtureProducer<byte[], MembershipState> producer = new FixtureProducer<>(bootstrapServers,
                new ByteArraySerializer(),
                AvroSerde.of(MembershipState.class, Map.of("schema.registry.url", REGISTRY_URL)).serializer())) {
            for (int i = 0; i < contexts; i++) {
                send(producer, topic, i, i % 10 != 0, i % 10 == 0);
            }
            for (int i = 0; i < TOMBSTONED; i++) {
                send(producer, topic, i * 7 + 1, false, false);
            }
            for (int i = 0; i < MOVED; i++) {
                send(producer, topic, i * 7 + 3, false, true);
            }
            for (int i = 0; i < OTHER_ENVIRONMENT; i++) {
                byte[] key = new MembershipKey("env-other", ref(i), ContextHashes.digest(contextKey(i))).toBytes();
                producer.send(new ProducerRecord<>(topic, key, MembershipState.newBuilder().setIncluded(true)
                        .setExcluded(false).setChanged(ChangedList.INCLUDED).setUpdatedAt(Instant.now()).build()));
            }
            producer.flush();
        }
    }

    private void send(FixtureProducer<byte[], MembershipState> producer, String topic, int i, boolean included,
            boolean excluded) {
        byte[] key = new MembershipKey(environment, ref(i), ContextHashes.digest(contextKey(i))).toBytes();
        MembershipState value = included || excluded ? MembershipState.newBuilder().setIncluded(included)
                .setExcluded(excluded).setChanged(ChangedList.BOTH).setUpdatedAt(Instant.now()).build() : null;
        producer.send(new ProducerRecord<>(topic, key, value));
        states.put(i, new boolean[] {included, excluded});
    }

    /** Whether context {@code i} ends up included in its segment. */
    boolean included(int i) {
        return states.get(i)[0];
    }

    boolean excluded(int i) {
        return states.get(i)[1];
    }

    /** Every membership key the store should hold under {@code prefix}, with its refs. */
    Map<String, Set<String>> expectedRedis(String prefix) {
        Map<String, Set<String>> expected = new HashMap<>();
        states.forEach((i, state) -> {
            String hash = ContextHashes.hash(contextKey(i));
            if (state[0]) {
                expected.computeIfAbsent(prefix + ":big_segment_include:" + hash, k -> new HashSet<>()).add(ref(i));
            }
            if (state[1]) {
                expected.computeIfAbsent(prefix + ":big_segment_exclude:" + hash, k -> new HashSet<>()).add(ref(i));
            }
        });
        return expected;
    }
}
