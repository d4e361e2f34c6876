package dev.bigsegments.cli.command;

import dev.bigsegments.cli.ExitCodes;
import dev.bigsegments.cli.KafkaOptions;
import dev.bigsegments.cli.kafka.GroupOffsets;
import dev.bigsegments.schemas.kafka.Offsets;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Resets a store writer's consumer group on the membership topic to an offset, a timestamp "
                + "or the beginning, so the writer replays from there when it starts again. Writes are idempotent, "
                + "so replaying what a store already holds is harmless.",
                "Refused while the group has active members: scale the writer to zero first.",
                "--dry-run prints, per partition, the current and the new offset and changes nothing."})
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--group-id", required = true, description = "The writer's consumer group.")
    String groupId;

    @Option(names = "--topic", description = "Topic to reset (default: the membership topic).")
    String topic;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target to;

    @Option(names = "--dry-run", description = "Print the current and new offsets; change nothing.")
    boolean dryRun;

    static final class Target {
        @Option(names = "--to-offset", description = "The same offset on every partition (clamped to what exists).")
        Long offset;

        @Option(names = "--to-timestamp",
                description = "First record at or after this time: ISO-8601 (2026-01-31T12:00:00Z) or epoch ms.")
        String timestamp;

        @Option(names = "--to-earliest", description = "The beginning of every partition.")
        boolean earliest;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        String name = topic != null ? topic : kafka.topics().membership();
        try (Admin admin = Admin.create(kafka.kafkaConfig())) {
            int members = GroupOffsets.activeMembers(admin, groupId);
            if (members > 0 && !dryRun) {
                spec.commandLine().getErr().printf("refused: consumer group %s has %d active member(s); stop the "
                        + "writer (scale it to zero) and try again%n", groupId, members);
                return ExitCodes.FAILED;
            }
            List<TopicPartition> partitions = Offsets.partitions(admin, name);
            Map<TopicPartition, OffsetAndMetadata> current = GroupOffsets.committed(admin, groupId, partitions);
            Map<TopicPartition, Long> earliest = GroupOffsets.list(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> latest = GroupOffsets.list(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> target = target(admin, partitions, earliest, latest);
            out.printf("%-40s %12s %12s%n", "PARTITION", "CURRENT", "NEW");
            Map<TopicPartition, OffsetAndMetadata> changes = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata now = current.get(tp);
                out.printf("%-40s %12s %12d%n", tp, now == null ? "-" : String.valueOf(now.offset()), target.get(tp));
                changes.put(tp, new OffsetAndMetadata(target.get(tp)));
            }
            if (members > 0) {
                out.printf("dry run: group %s has %d active member(s); a real reset would be refused%n", groupId,
                        members);
            } else if (dryRun) {
                out.println("dry run: nothing changed");
            } else {
                GroupOffsets.alter(admin, groupId, changes);
                out.printf("reset group %s on %s: %d partitions%n", groupId, name, changes.size());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private Map<TopicPartition, Long> target(Admin admin, List<TopicPartition> partitions,
            Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest) throws InterruptedException {
        Map<TopicPartition, Long> target = new HashMap<>();
        if (to.earliest) {
            target.putAll(earliest);
        } else if (to.offset != null) {
            partitions.forEach(tp -> target.put(tp, Math.max(earliest.get(tp), Math.min(latest.get(tp), to.offset))));
        } else {
            long millis = parseTimestamp(to.timestamp);
            Map<TopicPartition, Long> found = GroupOffsets.list(admin, partitions, OffsetSpec.forTimestamp(millis));
            // No record at or after the time: start at the end.
            partitions.forEach(tp -> target.put(tp, found.get(tp) < 0 ? latest.get(tp) : found.get(tp)));
        }
        return target;
    }

    long parseTimestamp(String value) {
        if (value.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(value);
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new ParameterException(spec.commandLine(),
                        "--to-timestamp must be ISO-8601 (2026-01-31T12:00:00Z) or epoch milliseconds: " + value);
            }
        }
    }
}
