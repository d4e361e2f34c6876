package dev.bigsegments.cli.topics;

import dev.bigsegments.cli.ExitCodes;
import dev.bigsegments.cli.KafkaOptions;
import dev.bigsegments.schemas.TopicSetup;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Creates the missing topics (TopicSetup.ensureTopics) and prints every topic with its "
                + "settings as the broker reports them. Idempotent: existing topics are never changed.",
                "Refuses, changing nothing, when an existing topic has a setting the pipeline cannot run with "
                + "(a membership, segments or imports topic that is not compacted, a compacted commands topic, "
                + "min.insync.replicas above the replication factor): exit code 3 and the reason.",
                "Needs the rights to describe and create the topics (the services do not: they only verify)."})
public final class TopicsCreateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    TopicOptions topicOptions;

    @Override
    public Integer call() throws InterruptedException {
        if (topicOptions.partitions() < 1 || topicOptions.replicationFactor() < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions and --replication-factor must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Admin admin = Admin.create(kafka.kafkaConfig())) {
            List<TopicInspection.Topic> before = TopicInspection.describe(admin, kafka.topics());
            List<String> problems = TopicInspection.problems(before);
            if (!problems.isEmpty()) {
                TopicTable.print(out, before, Set.of());
                out.flush();
                TopicTable.print(err, "refused", problems);
                err.println("refused: nothing was created or changed");
                err.flush();
                return ExitCodes.FAILED;
            }
            TopicSetup.ensureTopics(admin, kafka.topics(), topicOptions.partitions(), topicOptions.replicationFactor());
            List<TopicInspection.Topic> after = TopicInspection.describeCreated(admin, kafka.topics());
            Set<String> created = new HashSet<>();
            before.stream().filter(t -> !t.exists()).forEach(t -> created.add(t.name()));
            TopicTable.print(out, after, created);
            TopicTable.print(out, "note", TopicInspection.notes(after, topicOptions.partitions()));
            List<String> still = new ArrayList<>(TopicInspection.problems(after));
            after.stream().filter(t -> !t.exists()).forEach(t -> still.add("topic " + t.name() + " was not created"));
            if (!still.isEmpty()) {
                TopicTable.print(err, "failed", still);
                err.flush();
                return ExitCodes.FAILED;
            }
            out.printf("topics: %d created, %d found; settings verified%n", created.size(),
                    after.size() - created.size());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
