package dev.bigsegments.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.TopicSetup;
import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.serde.AvroSerde;
import dev.bigsegments.testkit.FixtureProducer;
import dev.bigsegments.writer.store.RedisMembershipStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Each environment's {@code synchronizedOn} depends on its own pending work only: while one environment has an
 * import under way and a stream of changes keeps the membership topic busy, another environment of the same
 * writer is stamped again and again; the busy one is stamped once its import is over.
 */
class FreshnessPerEnvironmentTest {
    private static final String BUSY = "env-busy";
    private static final String QUIET = "env-quiet";
    private static final Map<String, Object> SERDE = Map.of("schema.registry.url", "mock://freshness");
    private static final TopicNames TOPICS = TopicNames.namespaced("fresh");

    @Test
    void anEnvironmentIsStampedWhileAnotherHasAnImportUnderWayAndABurstOfChanges() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null); EmbeddedRedis redis = EmbeddedRedis.start()) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicSetup.ensureTopics(admin, TOPICS, 2, (short) 1);
            }
            importStatus(kafka, ImportState.IN_PROGRESS);
            RedisClient client = RedisClient.create(redis.uri());
            AtomicBoolean busy = new AtomicBoolean(true);
            Thread burst = new Thread(() -> changes(kafka, busy), "busy-environment");
            try (StatefulRedisConnection<String, String> c = client.connect();
                    RedisMembershipStore store = RedisMembershipStore.builder().uri(redis.uri())
                            .prefixes(Map.of(BUSY, "busy", QUIET, "quiet")).build();
                    WriterRuntime runtime = WriterRuntime.start(WriterOptions.builder(kafka.bootstrapServers(),
                            Set.of(BUSY, QUIET), SERDE).groupId("fresh-writer").processorApplicationId("fresh-processor")
                            .topics(TOPICS).stampInterval(Duration.ofMillis(300)).build(), store,
                            new SimpleMeterRegistry())) {
                burst.start();
                List<Long> quietStamps = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    String stamp = c.sync().get("quiet:big_segments_synchronized_on");
                    if (stamp != null && (quietStamps.isEmpty() || !quietStamps.get(quietStamps.size() - 1)
                            .equals(Long.valueOf(stamp)))) {
                        quietStamps.add(Long.valueOf(stamp));
                    }
                    return quietStamps.size() >= 4;
                });
                assertThat(burst.isAlive()).as("the busy environment's changes still flow").isTrue();
                assertThat(c.sync().get("busy:big_segments_synchronized_on")).as("an import is under way").isNull();
                assertThat(quietStamps).isSorted();

                busy.set(false);
                burst.join();
                importStatus(kafka, ImportState.COMPLETE);
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        c.sync().get("busy:big_segments_synchronized_on") != null);
                assertThat(runtime.writer().failure()).isNull();
            } finally {
                busy.set(false);
                burst.join();
                client.shutdown();
            }
        }
    }

    /** The stream processor's report of the busy environment's import, as it publishes it. */
    private static void importStatus(EmbeddedKafka kafka, ImportState state) {
        Instant now = Instant.now();
        ImportStatus status = ImportStatus.newBuilder().setImportId("imp-1").setEnvironmentId(BUSY)
                .setSegmentKey("s").setMode(ImportMode.REPLACE).setStatus(state).setCreationTime(now)
                .setUpdatedAt(now).setChunksStaged(1).setKeysStaged(1).setDuplicates(0).setToProcess(1)
                .setProcessed(state == ImportState.COMPLETE ? 1 : 0).setAdded(0).setRemoved(0).build();
        try (FixtureProducer<byte[], ImportStatus> producer = new FixtureProducer<>(kafka.bootstrapServers(),
                new ByteArraySerializer(), AvroSerde.of(ImportStatus.class, SERDE).serializer())) {
            producer.send(new ProducerRecord<>(TOPICS.imports(), "imp-1".getBytes(StandardCharsets.UTF_8), status));
            producer.flush();
        }
    }

    /**
     * Membership changes of the busy environment, a batch every 100 ms (10,000 a second, which the writer keeps up
     * with on a loaded machine), until told to stop.
     */
    private static void changes(EmbeddedKafka kafka, AtomicBoolean busy) {
        try (FixtureProducer<byte[], MembershipState> producer = new FixtureProducer<>(kafka.bootstrapServers(),
                new ByteArraySerializer(), AvroSerde.of(MembershipState.class, SERDE).serializer())) {
            long next = System.nanoTime();
            for (int batch = 0; busy.get(); batch++) {
                next += 100_000_000L;
                LockSupport.parkNanos(next - System.nanoTime());
                for (int i = 0; i < 1_000; i++) {
                    byte[] key = new MembershipKey(BUSY, "s.g1", ContextHashes.digest("u-" + batch + "-" + i)).toBytes();
                    producer.send(new ProducerRecord<>(TOPICS.membership(), key, MembershipState.newBuilder()
                            .setIncluded(true).setExcluded(false).setChanged(ChangedList.INCLUDED)
                            .setUpdatedAt(Instant.now()).build()));
                }
                producer.flush();
            }
        }
    }
}
