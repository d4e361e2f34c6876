package dev.bigsegments.cli.shards;

import picocli.CommandLine.Command;

@Command(name = "shards", mixinStandardHelpOptions = true,
        description = {"The stream processor's shards (bigsegments.processor.shards): moves a processor whose state "
                + "keeps each segment on one task to a new application id with its segments spread over shards."},
        subcommands = {ShardsMigrateCommand.class})
public final class ShardsCommand {
}
