package dev.bigsegments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.schemas.TopicNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Resetting a writer's consumer group against a real broker. */
class ReplayCommandTest {
    private static final TopicNames TOPICS = MembershipTopicFixture.topics("cli-replay-test");
    private static final int RECORDS_PER_PARTITION = 20;
    private static final int PARTITIONS = 6;

    private static EmbeddedKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(null);
        MembershipTopicFixture.createTopics(kafka.bootstrapServers(), TOPICS);
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                    // The topic is compacted: every record needs a key.
                    producer.send(new ProducerRecord<>(TOPICS.membership(), partition, new byte[] {(byte) partition, (byte) i},
                            new byte[] {(byte) i})).get();
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aResetIsRefusedWhileTheGroupHasActiveMembersAndADryRunStillShowsTheOffsets() throws Exception {
        String group = "active-writer";
        try (KafkaConsumer<byte[], byte[]> member = joinAndCommitEnd(group)) {
            CommandRun refused = replay(group, "--to-earliest");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(refused.err()).contains("refused").contains("active member");

            CommandRun dryRun = replay(group, "--to-offset", "5", "--dry-run");
            assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
            assertThat(dryRun.out()).containsPattern(TOPICS.membership() + "-0 +20 +5")
                    .contains("a real reset would be refused");
        }
        assertThat(committed(group).values()).containsOnly((long) RECORDS_PER_PARTITION);
    }

    @Test
    void aDryRunPrintsCurrentAndNewOffsetsPerPartitionAndChangesNothing() throws Exception {
        String group = "stopped-writer";
        joinAndCommitEnd(group).close();

        CommandRun dryRun = replay(group, "--to-offset", "7", "--dry-run");

        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            assertThat(dryRun.out()).containsPattern(TOPICS.membership() + "-" + partition + " +20 +7");
        }
        assertThat(dryRun.out()).contains("nothing changed");
        assertThat(committed(group).values()).containsOnly((long) RECORDS_PER_PARTITION);
    }

    @Test
    void aStoppedGroupIsResetToAnOffsetTheBeginningOrATimestamp() throws Exception {
        String group = "reset-writer";
        joinAndCommitEnd(group).close();

        assertThat(replay(group, "--to-offset", "7").exitCode()).isZero();
        assertThat(committed(group).values()).containsOnly(7L);

        assertThat(replay(group, "--to-earliest").exitCode()).isZero();
        assertThat(committed(group).values()).containsOnly(0L);

        CommandRun future = replay(group, "--to-timestamp", Instant.now().plusSeconds(3600).toString());
        assertThat(future.exitCode()).as(future.toString()).isZero();
        assertThat(committed(group).values()).containsOnly((long) RECORDS_PER_PARTITION);

        assertThat(replay(group, "--to-timestamp", "0").exitCode()).isZero();
        assertThat(committed(group).values()).containsOnly(0L);
    }

    @Test
    void aTimestampThatIsNeitherIsoNorEpochMillisIsAUsageError() {
        CommandRun run = replay("any-group", "--to-timestamp", "yesterday");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("ISO-8601");
    }

    private static KafkaConsumer<byte[], byte[]> joinAndCommitEnd(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(TOPICS.membership()));
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return consumer.assignment().size() == PARTITIONS && consumer.assignment().stream()
                    .allMatch(tp -> consumer.position(tp) == RECORDS_PER_PARTITION);
        });
        consumer.commitSync();
        return consumer;
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return new HashMap<>(offsets.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())));
    }

    private static CommandRun replay(String group, String... more) {
        List<String> args = new ArrayList<>(List.of("replay", "--bootstrap-servers", kafka.bootstrapServers(),
                "--membership-topic", TOPICS.membership(), "--group-id", group));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }
}
