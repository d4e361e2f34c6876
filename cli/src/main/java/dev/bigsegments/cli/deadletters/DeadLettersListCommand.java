package dev.bigsegments.cli.deadletters;

import dev.bigsegments.cli.ExitCodes;
import dev.bigsegments.cli.KafkaOptions;
import dev.bigsegments.schemas.DeadLetters;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Prints one line per dead letter: where it is, where it came from, why, the error, and the size "
                + "of its value. Keys and values are never printed: a direct producer's record may hold raw context keys."})
public final class DeadLettersListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    DeadLetterSelection selection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ConsumerRecord<byte[], byte[]>> letters = selection.read(kafka);
        out.printf("%-24s %-40s %-20s %-8s %s%n", "DEAD-LETTER", "CAME FROM", "REASON", "BYTES", "ERROR");
        for (ConsumerRecord<byte[], byte[]> r : letters) {
            out.printf("%-24s %-40s %-20s %-8d %s: %s%n", r.partition() + "@" + r.offset(), DeadLetters.header(
                    r.headers(), DeadLetters.TOPIC) + "-" + DeadLetters.header(r.headers(), DeadLetters.PARTITION) + "@"
                    + DeadLetters.header(r.headers(), DeadLetters.OFFSET),
                    DeadLetters.header(r.headers(), DeadLetters.REASON), r.value() == null ? 0 : r.value().length,
                    DeadLetters.header(r.headers(), DeadLetters.ERROR_CLASS),
                    DeadLetters.header(r.headers(), DeadLetters.ERROR_MESSAGE));
        }
        out.println("dead letters: " + letters.size());
        out.flush();
        return ExitCodes.OK;
    }
}
