package dev.bigsegments.cli;

import dev.bigsegments.cli.command.RebuildCommand;
import dev.bigsegments.cli.command.RepairCommand;
import dev.bigsegments.cli.command.ReplayCommand;
import dev.bigsegments.cli.command.VerifyCommand;
import dev.bigsegments.cli.deadletters.DeadLettersCommand;
import dev.bigsegments.cli.shards.ShardsCommand;
import dev.bigsegments.cli.topics.TopicsCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(name = "bigsegments", mixinStandardHelpOptions = true, version = "bigsegments 0.1.0",
        description = "Operator commands: create and check the topics; rebuild and check big-segment stores (Redis or "
                + "DynamoDB) by replaying the membership topic; list and re-drive dead letters; move the stream processor "
                + "to shards.",
        subcommands = {RebuildCommand.class, ReplayCommand.class, VerifyCommand.class, RepairCommand.class,
                TopicsCommand.class, DeadLettersCommand.class, ShardsCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done; verify, topics check: the store or the topics match",
                "1:verify: the store differs; topics check: a topic is missing or wrong",
                "2:invalid command line", "3:failed or refused"})
public final class BigSegmentsCli {

    public static void main(String[] args) {
        // SLF4J is bound to the JBoss LogManager (through store-writer's Quarkus dependencies); it must be
        // the JVM's log manager before anything logs.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        QuietLogging.apply();
        System.exit(commandLine().execute(args));
    }

    /** The command line with the project's exit codes; tests run commands through this too. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new BigSegmentsCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("failed: " + e.getMessage());
            commandLine.getErr().flush();
            return ExitCodes.FAILED;
        });
        return cli;
    }
}
