package dev.bigsegments.cli.command;

import dev.bigsegments.cli.ExitCodes;
import dev.bigsegments.cli.KafkaOptions;
import dev.bigsegments.cli.StoreOptions;
import dev.bigsegments.cli.diff.DiffReport;
import dev.bigsegments.cli.diff.HashSample;
import dev.bigsegments.cli.diff.MembershipDiff;
import dev.bigsegments.cli.store.StoreTarget;
import dev.bigsegments.store.MembershipStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Computes the same difference as verify and applies exactly that, through the store "
                + "writer's own code. Redis: DEL on membership keys of the wrong type, then SADD of the missing and "
                + "SREM of the extra refs (the writer's documented permissions, plus SCAN, TYPE and SMEMBERS to "
                + "read). DynamoDB: UpdateItem REMOVE of attributes of the wrong type, then UpdateItem ADD of the "
                + "missing and DELETE of the extra refs (plus Query to read).",
                "Run it while the store's writer is stopped or caught up and idle: a change applied between the "
                + "read and the repair would be undone (the running writer restores it only if that key changes "
                + "again). Verify afterwards."})
public final class RepairCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    StoreOptions store;

    @Option(names = "--sample-rate", defaultValue = "1.0",
            description = "Fraction of context hashes to repair, as for verify (default: ${DEFAULT-VALUE}).")
    double sampleRate;

    @Option(names = "--dry-run", description = "Print the difference without changing the store.")
    boolean dryRun;

    @Option(names = "--examples", defaultValue = "5", description = "Example hashes per row (default: ${DEFAULT-VALUE}).")
    int examples;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (StoreTarget target = store.open()) {
            MembershipDiff diff = StoreComparison.compare(kafka, target, new HashSample(sampleRate),
                    spec.commandLine().getErr()).diff();
            DiffReport.print(out, diff, examples);
            if (dryRun || diff.isEmpty()) {
                out.println(diff.isEmpty() ? "nothing to repair" : "dry run: nothing changed");
                out.flush();
                return ExitCodes.OK;
            }
            target.deleteWrongType(diff.wrongType());
            try (MembershipStore writer = target.openWriter()) {
                writer.apply(diff.repairOps());
            }
            out.printf("repaired environment %s, %s: deleted %,d sets of the wrong type, added %,d and "
                    + "removed %,d memberships%n", target.environment(), target.describe(),
                    diff.wrongType().size(), diff.missing().size(), diff.extra().size());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
