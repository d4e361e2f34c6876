package dev.bigsegments.cli.topics;

import dev.bigsegments.schemas.TopicSetup;
import picocli.CommandLine.Option;

/** Partitions and replication of the topics, named as the services' settings name them. */
public final class TopicOptions {
    @Option(names = "--partitions",
            defaultValue = "${env:BIGSEGMENTS_KAFKA_PARTITIONS:-" + TopicSetup.DEFAULT_PARTITIONS + "}",
            description = "Partitions of each topic to create; chosen once (env BIGSEGMENTS_KAFKA_PARTITIONS, "
                    + "default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "${env:BIGSEGMENTS_KAFKA_REPLICATION_FACTOR:-1}",
            description = "Replicas of each topic to create; min.insync.replicas is one less, at least 1 (env "
                    + "BIGSEGMENTS_KAFKA_REPLICATION_FACTOR, default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    public int partitions() {
        return partitions;
    }

    public short replicationFactor() {
        return replicationFactor;
    }
}
