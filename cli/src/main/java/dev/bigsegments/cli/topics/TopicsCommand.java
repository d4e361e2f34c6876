package dev.bigsegments.cli.topics;

import picocli.CommandLine.Command;

@Command(name = "topics", mixinStandardHelpOptions = true,
        description = {"Creates or checks the pipeline's Kafka topics: commands (cleanup.policy=delete, 7 days), "
                + "membership, segments and imports (cleanup.policy=compact), dead letters (cleanup.policy=delete, "
                + "14 days), all with min.insync.replicas one "
                + "below the replication factor (at least 1). The settings are dev.bigsegments.schemas.TopicSetup's, "
                + "the same the services use when they create topics themselves."},
        subcommands = {TopicsCreateCommand.class, TopicsCheckCommand.class})
public final class TopicsCommand {
}
