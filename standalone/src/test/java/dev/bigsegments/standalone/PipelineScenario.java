package dev.bigsegments.standalone;

import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.TopicSetup;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.kafka.CompactedTopicView;
import dev.bigsegments.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * One isolated pipeline on the shared broker: its own topics, processor application id, writer group,
 * environment and store prefix, so scenarios never meet. Gives each service the environment variables
 * the Kubernetes manifests set, for {@link ServiceProcess}; a test adds what is particular to it.
 */
final class PipelineScenario {
    static final String PROJECT = "proj";
    /** Partitions of every topic of a scenario. */
    static final int PARTITIONS = 4;

    final String name;
    final TopicNames topics;
    final String environmentId;
    final String registry;
    final String bootstrapServers;
    private final String stateDir;

    /**
     * On the shared broker, with the in-process registry.
     *
     * @param name letters and digits only: it becomes the environment key, the store prefix, and part of
     *     environment variable names, where a separator would change the meaning
     */
    PipelineScenario(String name) throws Exception {
        this(name, SharedServices.kafka().bootstrapServers(), "mock://" + name);
    }

    /** On the given broker and schema registry. */
    PipelineScenario(String name, String bootstrapServers, String registry) throws Exception {
        if (!name.matches("[a-z0-9]+")) {
            throw new IllegalArgumentException("scenario name must be lower-case letters and digits: " + name);
        }
        this.name = name;
        this.topics = TopicNames.namespaced(name);
        this.environmentId = "env-" + name;
        this.registry = registry;
        this.bootstrapServers = bootstrapServers;
        this.stateDir = Files.createTempDirectory(name + "-state").toString();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            TopicSetup.ensureTopics(admin, topics, PARTITIONS, (short) 1);
        }
    }

    /** The environment key in URLs, which is also the store prefix. */
    String environmentKey() {
        return name;
    }

    String prefix() {
        return name;
    }

    String processorApplicationId() {
        return name + "-processor";
    }

    /** Broker, registry, topics and the scenario's one environment: what every service reads. */
    Map<String, String> common() {
        Map<String, String> env = new HashMap<>();
        env.put("BIGSEGMENTS_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("BIGSEGMENTS_REGISTRY_URL", registry);
        env.put("BIGSEGMENTS_TOPICS_COMMANDS", topics.commands());
        env.put("BIGSEGMENTS_TOPICS_MEMBERSHIP", topics.membership());
        env.put("BIGSEGMENTS_TOPICS_SEGMENTS", topics.segments());
        env.put("BIGSEGMENTS_TOPICS_IMPORTS", topics.imports());
        env.put("BIGSEGMENTS_TOPICS_DEAD_LETTER", topics.deadLetter());
        env.put("BIGSEGMENTS_TOPICS_STATUS", topics.status());
        String e = "BIGSEGMENTS_ENVIRONMENTS_" + name.toUpperCase(Locale.ROOT) + "_";
        env.put(e + "ID", environmentId);
        env.put(e + "PROJECT_KEY", PROJECT);
        env.put(e + "ENVIRONMENT_KEY", environmentKey());
        env.put(e + "STORE_PREFIX", prefix());
        env.put("QUARKUS_HTTP_PORT", "0");
        return env;
    }

    /** The stream processor; its RocksDB state directory survives a restart of the process. */
    Map<String, String> processor() {
        Map<String, String> env = common();
        env.put("BIGSEGMENTS_PROCESSOR_APPLICATION_ID", processorApplicationId());
        env.put("BIGSEGMENTS_PROCESSOR_STATE_DIR", stateDir);
        return env;
    }

    /** A store writer with its Redis target on {@code redisUri}. */
    Map<String, String> writer(String redisUri) {
        Map<String, String> env = common();
        env.put("BIGSEGMENTS_WRITER_PROCESSOR_APPLICATION_ID", processorApplicationId());
        env.put("BIGSEGMENTS_WRITER_REDIS_URI", redisUri);
        env.put("BIGSEGMENTS_WRITER_REDIS_GROUP_ID", name + "-writer-redis");
        return env;
    }

    /** The ingest service on a fixed local port (so a restarted instance answers at the same address). */
    Map<String, String> ingest(int port, String token) throws Exception {
        Map<String, String> env = common();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("BIGSEGMENTS_INGEST_IMPORT_DIRECTORY", Files.createTempDirectory(name + "-imports").toString());
        env.put("BIGSEGMENTS_INGEST_TOKENS_" + name.toUpperCase(Locale.ROOT) + "_SECRET", token);
        env.put("BIGSEGMENTS_INGEST_TOKENS_" + name.toUpperCase(Locale.ROOT) + "_ENVIRONMENTS", "*");
        return env;
    }

    /** The processor's import statuses, as the writer and the ingest service read them. */
    CompactedTopicView<ImportStatus> importView() {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrapServers);
        return new CompactedTopicView<>(topics.imports(), config,
                AvroSerde.of(ImportStatus.class, Map.of("schema.registry.url", registry)).deserializer());
    }

    static byte[] key(String importId) {
        return importId.getBytes(StandardCharsets.UTF_8);
    }
}
