package dev.bigsegments.cli.deadletters;

import picocli.CommandLine.Command;

@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = {"Lists the records the stream processor and the store writers set aside on the dead-letter topic "
                + "(records that could not be decoded, broke a rule, named an environment no writer serves, or made "
                + "processing fail), and re-drives them to the topic they came from once the cause is fixed."},
        subcommands = {DeadLettersListCommand.class, DeadLettersRedriveCommand.class})
public final class DeadLettersCommand {
}
