package dev.bigsegments.cli.topics;

import dev.bigsegments.cli.ExitCodes;
import dev.bigsegments.cli.KafkaOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Prints every topic with its settings and checks them, changing nothing: exit code 0 when all "
                + "of them exist with settings the pipeline can run with, 1 when one is missing or wrong, 3 on failure.",
                "Needs only the rights to describe the topics and their configurations."})
public final class TopicsCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--partitions", defaultValue = "${env:BIGSEGMENTS_KAFKA_PARTITIONS:-0}",
            description = "Also note topics whose partition count differs from this (env BIGSEGMENTS_KAFKA_PARTITIONS; "
                    + "default: not compared).")
    int partitions;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = Admin.create(kafka.kafkaConfig())) {
            List<TopicInspection.Topic> topics = TopicInspection.describe(admin, kafka.topics());
            List<String> problems = new ArrayList<>(TopicInspection.problems(topics));
            topics.stream().filter(t -> !t.exists()).forEach(t -> problems.add("topic " + t.name() + " is missing: "
                    + "create it with 'bigsegments topics create'"));
            TopicTable.print(out, topics, Set.of());
            TopicTable.print(out, "note", TopicInspection.notes(topics, partitions));
            TopicTable.print(out, "problem", problems);
            out.println(problems.isEmpty() ? "topics: settings verified" : "topics: " + problems.size() + " problem(s)");
            out.flush();
            return problems.isEmpty() ? ExitCodes.OK : ExitCodes.DIFFERENCES;
        }
    }
}
