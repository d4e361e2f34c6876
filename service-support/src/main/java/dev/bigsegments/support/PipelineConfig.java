package dev.bigsegments.support;

import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration every service shares: Kafka, the schema registry, topic names and the environments.
 * Each key can be set as an environment variable too (bigsegments.kafka.bootstrap-servers is
 * BIGSEGMENTS_KAFKA_BOOTSTRAP_SERVERS).
 */
@ConfigMapping(prefix = "bigsegments")
public interface PipelineConfig {

    Kafka kafka();

    Registry registry();

    TopicConfig topics();

    /** Environments by a short name of the operator's choosing. */
    Map<String, EnvironmentConfig> environments();

    interface Kafka {
        @WithDefault("localhost:9092")
        String bootstrapServers();

        /** Any further client setting (security.protocol, sasl.*, ssl.*), applied to every client. */
        Map<String, String> properties();

        /** Partitions for topics this deployment creates (when topic creation is on). */
        @WithDefault("6")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        /** Create missing topics at start; off where topics are managed elsewhere. */
        @WithDefault("true")
        boolean createTopics();
    }

    interface Registry {
        /** Confluent-compatible registry URL(s), or mock://scope for the in-process registry. */
        @WithDefault("mock://bigsegments")
        String url();

        Optional<String> basicAuthUserInfo();

        Optional<String> bearerToken();

        @WithDefault("true")
        boolean autoRegister();

        /** Ask the registry to normalize schemas before registering or looking them up. */
        @WithDefault("false")
        boolean normalizeSchemas();

        /** A trust store (PKCS12 unless truststore-type says otherwise) for a registry behind a private CA. */
        Optional<String> truststoreLocation();

        Optional<String> truststorePassword();

        Optional<String> truststoreType();
    }

    interface TopicConfig {
        @WithDefault(Topics.COMMANDS_NAME)
        String commands();

        @WithDefault(Topics.MEMBERSHIP_NAME)
        String membership();

        @WithDefault(Topics.SEGMENTS_NAME)
        String segments();

        @WithDefault(Topics.IMPORTS_NAME)
        String imports();

        @WithDefault(Topics.DEAD_LETTER_NAME)
        String deadLetter();

        @WithDefault(Topics.STATUS_NAME)
        String status();
    }

    interface EnvironmentConfig {
        /** The environment's id: its client-side id, as tools' payloads name it. */
        String id();

        String projectKey();

        String environmentKey();

        /** Store prefix; absent or empty means the default ("launchdarkly" for Redis). */
        Optional<String> storePrefix();
    }

    default TopicNames topicNames() {
        return new TopicNames(topics().commands(), topics().membership(), topics().segments(), topics().imports(),
                topics().deadLetter(), topics().status());
    }

    /** Serde settings in the Kafka-ecosystem key names. */
    default Map<String, Object> serdeConfig() {
        Map<String, Object> m = new HashMap<>();
        m.put("schema.registry.url", registry().url());
        registry().basicAuthUserInfo().ifPresent(v -> m.put("basic.auth.user.info", v));
        registry().bearerToken().ifPresent(v -> m.put("bearer.auth.token", v));
        m.put("auto.register.schemas", registry().autoRegister());
        m.put("normalize.schemas", registry().normalizeSchemas());
        registry().truststoreLocation().ifPresent(v -> m.put("schema.registry.ssl.truststore.location", v));
        registry().truststorePassword().ifPresent(v -> m.put("schema.registry.ssl.truststore.password", v));
        registry().truststoreType().ifPresent(v -> m.put("schema.registry.ssl.truststore.type", v));
        return m;
    }

    /** Bootstrap servers, the extra client properties and the serde settings, for any Kafka client. */
    default Map<String, Object> clientConfig() {
        Map<String, Object> m = serdeConfig();
        m.put("bootstrap.servers", kafka().bootstrapServers());
        m.putAll(kafka().properties());
        return m;
    }
}
