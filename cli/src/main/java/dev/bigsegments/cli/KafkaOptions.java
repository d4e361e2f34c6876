package dev.bigsegments.cli;

import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.registry.RegistryConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where Kafka and the schema registry are, and the topic names; shared by every command. */
public final class KafkaOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The in-process registry; its ids derive from schema fingerprints, so any process reads the project's records. */
    public static final String DEFAULT_REGISTRY_URL = "mock://bigsegments";
    /** How the services spell Kafka client settings in their configuration file. */
    public static final String SERVICE_PREFIX = "bigsegments.kafka.properties.";

    @Option(names = "--bootstrap-servers", defaultValue = "${env:BIGSEGMENTS_KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (env BIGSEGMENTS_KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Further Kafka client settings (SASL, TLS), repeatable.")
    Map<String, String> kafkaProperties = new HashMap<>();

    @Option(names = "--kafka-config-file", paramLabel = "FILE",
            description = "Kafka client settings from a properties file, such as the services' kafka-client.properties: "
                    + "keys under " + SERVICE_PREFIX + " lose that prefix; other bigsegments.* and quarkus.* keys are ignored.")
    Path kafkaConfigFile;

    @Option(names = "--registry-url", defaultValue = "${env:BIGSEGMENTS_REGISTRY_URL:-" + DEFAULT_REGISTRY_URL + "}",
            description = "Schema registry URL(s), or mock://<scope> (default: ${DEFAULT-VALUE}).")
    String registryUrl;

    @Option(names = "--registry-property", paramLabel = "KEY=VALUE",
            description = "Further registry settings (basic.auth.user.info, bearer.auth.token), repeatable.")
    Map<String, String> registryProperties = new HashMap<>();

    @Option(names = "--commands-topic", defaultValue = "${env:BIGSEGMENTS_TOPICS_COMMANDS:-" + Topics.COMMANDS_NAME + "}",
            description = "As the services' BIGSEGMENTS_TOPICS_COMMANDS (default: ${DEFAULT-VALUE}).")
    String commandsTopic;

    @Option(names = "--membership-topic", defaultValue = "${env:BIGSEGMENTS_TOPICS_MEMBERSHIP:-" + Topics.MEMBERSHIP_NAME + "}",
            description = "As the services' BIGSEGMENTS_TOPICS_MEMBERSHIP (default: ${DEFAULT-VALUE}).")
    String membershipTopic;

    @Option(names = "--segments-topic", defaultValue = "${env:BIGSEGMENTS_TOPICS_SEGMENTS:-" + Topics.SEGMENTS_NAME + "}",
            description = "As the services' BIGSEGMENTS_TOPICS_SEGMENTS (default: ${DEFAULT-VALUE}).")
    String segmentsTopic;

    @Option(names = "--imports-topic", defaultValue = "${env:BIGSEGMENTS_TOPICS_IMPORTS:-" + Topics.IMPORTS_NAME + "}",
            description = "As the services' BIGSEGMENTS_TOPICS_IMPORTS (default: ${DEFAULT-VALUE}).")
    String importsTopic;

    @Option(names = "--dead-letter-topic",
            defaultValue = "${env:BIGSEGMENTS_TOPICS_DEAD_LETTER:-" + Topics.DEAD_LETTER_NAME + "}",
            description = "As the services' BIGSEGMENTS_TOPICS_DEAD_LETTER (default: ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(names = "--status-topic", defaultValue = "${env:BIGSEGMENTS_TOPICS_STATUS:-" + Topics.STATUS_NAME + "}",
            description = "As the services' BIGSEGMENTS_TOPICS_STATUS (default: ${DEFAULT-VALUE}).")
    String statusTopic;

    public TopicNames topics() {
        return new TopicNames(commandsTopic, membershipTopic, segmentsTopic, importsTopic, deadLetterTopic,
                statusTopic);
    }

    /** Kafka client settings: bootstrap servers plus the extra properties. */
    public Map<String, Object> kafkaConfig() {
        Map<String, Object> config = new HashMap<>(kafkaOverrides());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** The file's settings, then the --kafka-property ones, which win. */
    public Map<String, String> kafkaOverrides() {
        Map<String, String> settings = new HashMap<>();
        if (kafkaConfigFile != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(kafkaConfigFile)) {
                file.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --kafka-config-file " + kafkaConfigFile, e);
            }
            file.stringPropertyNames().forEach(key -> {
                if (key.startsWith(SERVICE_PREFIX)) {
                    settings.put(key.substring(SERVICE_PREFIX.length()), file.getProperty(key));
                } else if (!key.startsWith("bigsegments.") && !key.startsWith("quarkus.")) {
                    settings.put(key, file.getProperty(key));
                }
            });
        }
        settings.putAll(kafkaProperties);
        return settings;
    }

    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>(registryProperties);
        config.put(RegistryConfig.URL, registryUrl);
        return config;
    }

    public String bootstrapServers() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ParameterException(spec.commandLine(),
                    "Missing --bootstrap-servers (or BIGSEGMENTS_KAFKA_BOOTSTRAP_SERVERS)");
        }
        return bootstrapServers;
    }
}
