package dev.bigsegments.cli.command;

import dev.bigsegments.cli.ExitCodes;
import dev.bigsegments.cli.KafkaOptions;
import dev.bigsegments.cli.StoreOptions;
import dev.bigsegments.cli.diff.DiffReport;
import dev.bigsegments.cli.diff.HashSample;
import dev.bigsegments.cli.store.StoreTarget;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Compares a Redis or DynamoDB store with the truth of the compacted membership topic and reports, per "
                + "segment ref and list, the missing and extra memberships (counts and context hashes, never raw "
                + "keys) and membership sets of the wrong type (a Redis key that is not a SET, a DynamoDB "
                + "attribute that is not a string set).",
                "Exit code 0 when they match, 1 when they differ, 3 on failure.",
                "Changes still in flight count as differences: verify a store whose writer is caught up."})
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    StoreOptions store;

    @Option(names = "--sample-rate", defaultValue = "1.0",
            description = "Fraction of context hashes to check, chosen deterministically from the hash "
                    + "(default: ${DEFAULT-VALUE}, all).")
    double sampleRate;

    @Option(names = "--examples", defaultValue = "5", description = "Example hashes per row (default: ${DEFAULT-VALUE}).")
    int examples;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (StoreTarget target = store.open()) {
            StoreComparison.Result result = StoreComparison.compare(kafka, target, new HashSample(sampleRate),
                    spec.commandLine().getErr());
            DiffReport.print(out, result.diff(), examples);
            out.printf("verified environment %s, %s, sample rate %s: %,d memberships in the topic, %,d in "
                    + "the store, %s in %.1f s%n", target.environment(), target.describe(), sampleRate,
                    result.truthMemberships(), result.storeMemberships(),
                    result.diff().isEmpty() ? "identical" : "DIFFERENT", (System.nanoTime() - start) / 1e9);
            out.flush();
            return result.diff().isEmpty() ? ExitCodes.OK : ExitCodes.DIFFERENCES;
        }
    }
}
