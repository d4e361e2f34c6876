package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.PipelineTestResource.ENV_ID;
import static dev.bigsegments.standalone.PipelineTestResource.PREFIX;
import static dev.bigsegments.standalone.PipelineTestResource.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bigsegments.ingest.publish.CommandPublisher;
import dev.bigsegments.ingest.registry.RegistryEndpointService;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.DeadLetters;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.DeleteSegment;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.serde.AvroSerde;
import dev.bigsegments.testkit.RedisBigSegmentStoreReader;
import dev.bigsegments.testkit.SdkProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Clients nobody here wrote: Node.js with kafkajs and {@code @kafkajs/confluent-schema-registry} registers the
 * project's SegmentCommand schema at the standalone run's registry endpoint, publishes membership changes with
 * raw keys and an import's lifecycle, and reads the membership topic back; the store must end exactly as the
 * commands say, read key by key and through the LaunchDarkly SDK.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineTestResource.class, restrictToAnnotatedClass = false)
class DirectProducerTest {
    private static final int IMPORTED_KEYS = 1000;

    @Inject
    RegistryEndpointService endpoint;

    private final String run = "node-" + UUID.randomUUID().toString().substring(0, 8);
    private final String members = run + "-members";
    private final String imported = run + "-import";

    @Test
    void aNodeProducerChangesTheStoreExactlyAndANodeConsumerDecodesEveryMembership() throws Exception {
        NodeClient node = new NodeClient(settings());

        JsonNode produced = node.run("produce");
        Map<String, Set<String>> included = expectedIncluded();
        Map<String, Set<String>> excluded = Map.of(ContextHashes.hash("node-user-9"), Set.of(members + ".g1"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(ours(RedisSnapshot.read(SharedServices.redis().uri(), PREFIX, "include"))).isEqualTo(included);
            assertThat(ours(RedisSnapshot.read(SharedServices.redis().uri(), PREFIX, "exclude"))).isEqualTo(excluded);
        });
        assertTheSdkEvaluates();
        assertTheWrongRecordIsADeadLetter(produced.path("wrongCommandId").asText());

        JsonNode consumed = node.run("consume");

        assertThat(consumed.path("failures")).as("values Node.js could not decode").isEmpty();
        assertThat(consumed.path("decoded").asInt()).isGreaterThanOrEqualTo(included.size() + excluded.size());
        assertThat(membershipsIn(consumed)).isEqualTo(expectedMemberships(included, excluded));
    }

    @Test
    void theEndpointAnswersOnlyRequestsWithAnApiToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI subjects = URI.create(endpoint.url().orElseThrow() + "/subjects");
        String basic = "Basic " + Base64.getEncoder().encodeToString(("any:" + TOKEN).getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(subjects).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(subjects).header("Authorization", basic).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo("{\"error_code\":401,\"message\":\"Unauthorized\"}");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("\"" + Topics.MEMBERSHIP_NAME + "-value\"");
    }

    /** The schema id in the header of a command as the ingest service's serializer writes it. */
    private static int idTheServicesWrite() {
        var serializer = AvroSerde.of(SegmentCommand.class, Map.of("schema.registry.url", "mock://e2e")).serializer();
        byte[] written = serializer.serialize(Topics.COMMANDS_NAME, CommandPublisher.command(new SegmentId(ENV_ID, "any"), null,
                new DeleteSegment()));
        return ByteBuffer.wrap(written, 1, 4).getInt();
    }

    private Map<String, Object> settings() {
        return Map.of("brokers", List.of(SharedServices.kafka().bootstrapServers()),
                "registryUrl", endpoint.url().orElseThrow(), "token", TOKEN,
                "schemaDir", NodeClient.REPOSITORY.resolve("schemas/src/main/avro").toString(),
                "environmentId", ENV_ID, "segments", List.of(members, imported),
                "commandsTopic", Topics.COMMANDS_NAME, "membershipTopic", Topics.MEMBERSHIP_NAME, "runId", run);
    }

    /** What the script sends: users 1, 2, 3 included then 2 removed, user 9 excluded; a replace import of 1000 keys. */
    private Map<String, Set<String>> expectedIncluded() {
        Map<String, Set<String>> included = new HashMap<>();
        included.put(ContextHashes.hash("node-user-1"), Set.of(members + ".g1"));
        included.put(ContextHashes.hash("node-user-3"), Set.of(members + ".g1"));
        for (int i = 0; i < IMPORTED_KEYS; i++) {
            included.put(ContextHashes.hash("node-import-" + i), Set.of(imported + ".g1"));
        }
        return included;
    }

    /** This test's segments only: the store is shared with the other tests of the JVM. */
    private Map<String, Set<String>> ours(Map<String, Set<String>> store) {
        return RedisSnapshot.only(store, Set.of(members + ".g1", imported + ".g1")::contains);
    }

    private void assertTheSdkEvaluates() {
        var reader = new RedisBigSegmentStoreReader(SharedServices.redis().uri(), PREFIX);
        try (SdkProbe sdk = SdkProbe.forSegment(members, 1, reader, Duration.ofMinutes(2))) {
            assertThat(sdk.evaluate("node-user-1").value()).isTrue();
            assertThat(sdk.evaluate("node-user-2").value()).isFalse();
            assertThat(sdk.evaluate("node-user-4").value()).as("sent with a wrong key").isFalse();
            assertThat(sdk.evaluate("node-user-9").value()).isFalse();
        }
        var importReader = new RedisBigSegmentStoreReader(SharedServices.redis().uri(), PREFIX);
        try (SdkProbe sdk = SdkProbe.forSegment(imported, 1, importReader, Duration.ofMinutes(2))) {
            assertThat(sdk.evaluate("node-import-" + (IMPORTED_KEYS - 1)).value()).isTrue();
            assertThat(sdk.evaluate("node-user-1").value()).isFalse();
        }
    }

    private void assertTheWrongRecordIsADeadLetter(String commandId) {
        var values = AvroSerde.of(SegmentCommand.class, Map.of("schema.registry.url", "mock://e2e")).deserializer();
        Map<String, Object> config = Map.of("bootstrap.servers", SharedServices.kafka().bootstrapServers(),
                "key.deserializer", ByteArrayDeserializer.class, "value.deserializer", ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTER_NAME).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (isOurs(values, r, commandId)) {
                        assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).isEqualTo("invalid");
                        assertThat(DeadLetters.header(r.headers(), DeadLetters.TOPIC)).isEqualTo(Topics.COMMANDS_NAME);
                        return true;
                    }
                }
                return false;
            });
        }
    }

    private static boolean isOurs(org.apache.kafka.common.serialization.Deserializer<SegmentCommand> values,
            ConsumerRecord<byte[], byte[]> r, String commandId) {
        try {
            return commandId.equals(values.deserialize(Topics.COMMANDS_NAME, r.value()).getCommandId());
        } catch (RuntimeException otherTestsGarbage) {
            return false;
        }
    }

    private static Map<String, String> membershipsIn(JsonNode consumed) {
        Map<String, String> found = new HashMap<>();
        consumed.path("members").fields().forEachRemaining(e -> found.put(e.getKey(),
                e.getValue().path("included").asBoolean() + "/" + e.getValue().path("excluded").asBoolean()));
        return found;
    }

    /** "ref hash" → "included/excluded", as the script reports the last state of each member. */
    private static Map<String, String> expectedMemberships(Map<String, Set<String>> included, Map<String, Set<String>> excluded) {
        Map<String, String> expected = new HashMap<>();
        included.forEach((hash, refs) -> refs.forEach(ref -> expected.put(ref + " " + hash, "true/false")));
        excluded.forEach((hash, refs) -> refs.forEach(ref -> expected.put(ref + " " + hash, "false/true")));
        return expected;
    }
}
