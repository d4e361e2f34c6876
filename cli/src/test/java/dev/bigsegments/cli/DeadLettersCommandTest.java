package dev.bigsegments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.schemas.DeadLetters;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.testkit.FixtureProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code dead-letters list} and {@code redrive} against a real broker: dead letters as the services write them
 * (original bytes and headers, plus the dead-letter headers) are listed without their contents and produced
 * back to their source topics as they were.
 */
class DeadLettersCommandTest {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(null);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void listShowsWhereEachCameFromAndWhyButNeverItsBytes() throws Exception {
        TopicNames topics = MembershipTopicFixture.topics("dl-list");
        MembershipTopicFixture.createTopics(kafka.bootstrapServers(), topics);
        setAside(topics, topics.commands(), "undecodable", "secret-raw-key");
        setAside(topics, topics.membership(), "unknown-environment", "other");

        CommandRun all = run(topics, "list");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.out()).containsPattern(topics.commands() + "-0@3 +undecodable +14 ")
                .containsPattern(topics.membership() + "-0@3 +unknown-environment +5 ")
                .contains("dead letters: 2").doesNotContain("secret-raw-key");
        CommandRun narrowed = run(topics, "list", "--reason", "unknown-environment");
        assertThat(narrowed.out()).contains("dead letters: 1").doesNotContain("undecodable ");
    }

    @Test
    void redriveProducesTheSelectedRecordsBackUnchangedAndKeepsMembershipOutUnlessAllowed() throws Exception {
        TopicNames topics = MembershipTopicFixture.topics("dl-redrive");
        MembershipTopicFixture.createTopics(kafka.bootstrapServers(), topics);
        setAside(topics, topics.commands(), "invalid", "command-bytes");
        setAside(topics, topics.membership(), "unknown-environment", "state-bytes");

        CommandRun refused = run(topics, "redrive");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.err()).contains("--allow-membership");
        assertThat(read(topics.commands())).isEmpty();

        CommandRun dry = run(topics, "redrive", "--source-topic", topics.commands(), "--dry-run");
        assertThat(dry.out()).contains("would re-drive 1 record(s) to " + topics.commands());
        assertThat(read(topics.commands())).isEmpty();

        CommandRun redriven = run(topics, "redrive", "--source-topic", topics.commands());
        assertThat(redriven.exitCode()).as(redriven.toString()).isZero();
        assertThat(redriven.out()).contains("re-drove 1 record(s) to " + topics.commands());
        List<ConsumerRecord<byte[], byte[]>> back = read(topics.commands());
        assertThat(back).hasSize(1);
        assertThat(new String(back.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("command-bytes");
        assertThat(new String(back.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("key");
        assertThat(back.get(0).headers().lastHeader("producer-header").value()).isEqualTo(new byte[] {1});
        assertThat(back.get(0).headers()).noneMatch(h -> DeadLetters.isDeadLetterHeader(h.key()));
    }

    /** A dead letter as a service writes it: the record that came from {@code source} at offset 3, with a header. */
    private static void setAside(TopicNames topics, String source, String reason, String value) {
        RecordHeaders own = new RecordHeaders();
        own.add("producer-header", new byte[] {1});
        DeadLetters.Reason why = java.util.Arrays.stream(DeadLetters.Reason.values())
                .filter(r -> r.tag().equals(reason)).findFirst().orElseThrow();
        try (FixtureProducer<byte[], byte[]> producer = new FixtureProducer<>(kafka.bootstrapServers(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.deadLetter(), 0, "key".getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8), DeadLetters.headers(own, source, 0, 3, why,
                            new IllegalArgumentException("because"), "test")));
            producer.flush();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static CommandRun run(TopicNames topics, String subcommand, String... more) {
        List<String> args = new ArrayList<>(List.of(MembershipTopicFixture.command("dead-letters",
                kafka.bootstrapServers(), topics, List.of())));
        args.add(1, subcommand);
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }
}
