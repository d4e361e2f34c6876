package dev.bigsegments.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

/** Formats a KRaft log directory once, as {@code kafka-storage.sh format} would. */
final class KraftStorage {
    private static final String META_PROPERTIES = "meta.properties";

    private KraftStorage() {
    }

    /** Formats the node's log directory unless an earlier run already did (that would lose data). */
    static void formatIfNeeded(KafkaConfig config) {
        if (isFormatted(config)) {
            return;
        }
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(config.nodeId())
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(SingleNodeKafkaConfig.CONTROLLER_LISTENER)
                .setMetadataLogDirectory(config.metadataLogDir())
                .setHasDynamicQuorum(false)
                .setIgnoreFormatted(true);
        config.logDirs().forEach(formatter::addDirectory);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + config.metadataLogDir(), e);
        }
    }

    private static boolean isFormatted(KafkaConfig config) {
        return Files.exists(Path.of(config.metadataLogDir(), META_PROPERTIES));
    }
}
