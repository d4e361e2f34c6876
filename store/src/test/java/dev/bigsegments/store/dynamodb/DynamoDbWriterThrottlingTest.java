package dev.bigsegments.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.launchdarkly.sdk.server.subsystems.BigSegmentStore;
import dev.bigsegments.embedded.EmbeddedDynalite;
import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.schemas.Backoff;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.TopicSetup;
import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.serde.AvroSerde;
import dev.bigsegments.store.writer.MembershipWriter;
import dev.bigsegments.store.writer.WriterOptions;
import dev.bigsegments.store.writer.WriterRuntime;
import dev.bigsegments.testkit.DynamoDbBigSegmentStoreReader;
import dev.bigsegments.testkit.FixtureProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole writer loop against a throttling DynamoDB: it backs off, keeps running and loses nothing. */
class DynamoDbWriterThrottlingTest {
    private static final String ENV = "env-throttle";
    private static final String REF = "seg.g1";
    private static final String REGISTRY = "mock://dynamodb-throttle";
    private static final int CONTEXTS = 2_000;
    private static final int THROTTLED = 150;

    // The writer warns on each batch retry; expected here, so kept off the console of a passing run.
    private static final Logger WRITER_LOG = Logger.getLogger(MembershipWriter.class.getName());

    @BeforeEach
    void quietExpectedRetryWarnings() {
        WRITER_LOG.setLevel(Level.SEVERE);
    }

    @AfterEach
    void restoreWarnings() {
        WRITER_LOG.setLevel(null);
    }

    @Test
    void aWriterFacingThrottlingBacksOffAndAppliesEveryChange() throws Exception {
        TopicNames topics = TopicNames.namespaced("dt");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null);
                EmbeddedDynalite dynalite = EmbeddedDynalite.start();
                DynaliteTables tables = new DynaliteTables(dynalite.endpoint())) {
            tables.create("throttled");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicSetup.ensureTopics(admin, topics, 2, (short) 1);
            }
            produce(kafka.bootstrapServers(), topics.membership());
            WriterOptions options = WriterOptions.builder(kafka.bootstrapServers(), Set.of(ENV),
                    Map.of("schema.registry.url", REGISTRY)).groupId("dt-writer").processorApplicationId("dt-processor")
                    .topics(topics).maxPollRecords(500).stampInterval(Duration.ofSeconds(1))
                    .backoff(Backoff.unlimited(Duration.ofMillis(50), Duration.ofSeconds(1))).build();
            try (ThrottlingProxy proxy = new ThrottlingProxy(dynalite.endpoint(), THROTTLED);
                    DynamoDbMembershipStore store = DynaliteTables.storeFor(dynalite).endpoint(proxy.endpoint())
                            .defaultTable("throttled").prefixes(Map.of(ENV, "dt")).maxConcurrency(16)
                            .backoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(200), 4)).build();
                    WriterRuntime runtime = WriterRuntime.start(options, store, new SimpleMeterRegistry());
                    BigSegmentStore reader = new DynamoDbBigSegmentStoreReader(dynalite.endpoint(), "throttled",
                            "dt")) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    assertThat(runtime.writer().failure()).isNull();
                    assertThat(reader.getMembership(ContextHashes.hash("user-" + (CONTEXTS - 1))).checkMembership(REF))
                            .isTrue();
                });
                for (int i = 0; i < CONTEXTS; i++) {
                    assertThat(reader.getMembership(ContextHashes.hash("user-" + i)).checkMembership(REF))
                            .as("user-%d", i).isTrue();
                }
                assertThat(proxy.throttled()).isEqualTo(THROTTLED);
                assertThat(store.retries()).isGreaterThan(0);
                assertThat(runtime.writer().isRunning()).isTrue();
            }
        }
    }

    private static void produce(String bootstrap, String topic) {
        try (FixtureProducer<byte[], MembershipState> producer = new FixtureProducer<>(bootstrap,
                new ByteArraySerializer(),
                AvroSerde.of(MembershipState.class, Map.of("schema.registry.url", REGISTRY)).serializer())) {
            for (int i = 0; i < CONTEXTS; i++) {
                byte[] key = new MembershipKey(ENV, REF, ContextHashes.digest("user-" + i)).toBytes();
                producer.send(new ProducerRecord<>(topic, key, MembershipState.newBuilder().setIncluded(true)
                        .setExcluded(false).setChanged(ChangedList.INCLUDED).setUpdatedAt(Instant.now()).build()));
            }
            producer.flush();
        }
    }
}
