package dev.bigsegments.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void readCommittedConsumerSeesCommittedTransactionsOnly() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null)) {
            createTopic(kafka, "orders");
            try (KafkaProducer<String, String> producer = transactionalProducer(kafka, "tx-commit-abort")) {
                sendInTransaction(producer, "orders", "aborted", false);
                sendInTransaction(producer, "orders", "committed", true);
            }

            assertThat(readAll(kafka, "orders", 1)).containsExactly("committed");
        }
    }

    @Test
    void restartOnTheSameDirectoryKeepsTopicsAndRecords() throws Exception {
        Path dir = dataDir.resolve("kafka");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            createTopic(kafka, "durable");
            try (KafkaProducer<String, String> producer = transactionalProducer(kafka, "tx-durable")) {
                sendInTransaction(producer, "durable", "before-restart", true);
            }
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            try (Admin admin = admin(kafka)) {
                assertThat(admin.listTopics().names().get()).contains("durable");
            }
            try (KafkaProducer<String, String> producer = transactionalProducer(kafka, "tx-durable")) {
                sendInTransaction(producer, "durable", "after-restart", true);
            }
            assertThat(readAll(kafka, "durable", 2)).containsExactly("before-restart", "after-restart");
        }
    }

    @Test
    void closeDeletesTheTemporaryDirectoryButKeepsAGivenOne() {
        EmbeddedKafka temporary = EmbeddedKafka.start(null);
        temporary.close();
        Path given = dataDir.resolve("kept");
        EmbeddedKafka persistent = EmbeddedKafka.start(given);
        persistent.close();
        persistent.close();

        assertThat(temporary.dataDir()).doesNotExist();
        assertThat(given.resolve("meta.properties")).exists();
    }

    private static void createTopic(EmbeddedKafka kafka, String topic) throws ExecutionException, InterruptedException {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka, String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String topic, String value, boolean commit)
            throws ExecutionException, InterruptedException {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "key", value)).get();
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    private static List<String> readAll(EmbeddedKafka kafka, String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(topic));
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach((ConsumerRecord<String, String> r) -> values.add(r.value()));
                return values.size() >= expected;
            });
            // One more poll: an aborted record leaking through read_committed would show up here.
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
