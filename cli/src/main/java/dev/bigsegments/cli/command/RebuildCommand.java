package dev.bigsegments.cli.command;

import dev.bigsegments.cli.ExitCodes;
import dev.bigsegments.cli.KafkaOptions;
import dev.bigsegments.cli.Progress;
import dev.bigsegments.cli.StoreOptions;
import dev.bigsegments.cli.kafka.GroupOffsets;
import dev.bigsegments.cli.store.StoreTarget;
import dev.bigsegments.schemas.TopicSetup;
import dev.bigsegments.schemas.kafka.Offsets;
import dev.bigsegments.store.MembershipStore;
import dev.bigsegments.store.writer.BatchCoalescer;
import dev.bigsegments.store.writer.MembershipWriter;
import dev.bigsegments.store.writer.WriterOptions;
import dev.bigsegments.store.writer.WriterRuntime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = {"Fills a new, empty Redis or DynamoDB store (prefix, database or table) from the compacted membership topic, "
                + "then continues with live changes.",
                "It runs a store writer in a NEW consumer group starting at the earliest offset, applying each "
                + "record's lists (adding what it holds, removing what it changed to absent), and commits offsets after "
                + "every applied batch. Each partition read to its end is marked filled by the group in the store "
                + "(the live writer checks these marks). Once every partition is marked and the pipeline is caught "
                + "up, it stamps synchronizedOn and the store reads HEALTHY.",
                "With --then-exit (the default) it then stops, leaving the group committed exactly where it "
                + "stopped; deploy the live writer for this store with the same group id and it continues from "
                + "there: no gap (nothing after the committed offsets is skipped) and no duplicate window (the "
                + "same group, never two writers on one store). With --no-then-exit it keeps running as the "
                + "live writer until stopped.",
                "One rebuild fills one environment's target; the live writer that continues the group must serve "
                + "exactly that target.",
                "Refuses a target that already holds memberships and a group that already has offsets or members "
                + "(unless --resume)."})
public final class RebuildCommand implements Callable<Integer> {
    /** How often progress is checked. */
    static final Duration CHECK_INTERVAL = Duration.ofMillis(250);

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--group-id", required = true,
            description = "The new consumer group; the live writer of this store must use it afterwards.")
    String groupId;

    @Option(names = "--processor-application-id", defaultValue = "bigsegments-processor",
            description = "The stream processor's application id, whose lag gates the stamp (default: ${DEFAULT-VALUE}).")
    String processorApplicationId;

    @Option(names = "--then-exit", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Exit once caught up and stamped (default); --no-then-exit keeps writing live changes.")
    boolean thenExit;

    @Option(names = "--stamp-interval", defaultValue = "PT5S",
            description = "How often the caught-up check runs, ISO-8601 (default: ${DEFAULT-VALUE}, at most PT30S).")
    Duration stampInterval;

    @Option(names = "--max-poll-records", defaultValue = "" + WriterOptions.DEFAULT_MAX_POLL_RECORDS,
            description = "Records per batch (default: ${DEFAULT-VALUE}).")
    int maxPollRecords;

    @Option(names = "--resume",
            description = "Continue a rebuild that stopped part way in the same group: partitions it finished (and "
                    + "marked filled) are kept; the others are read again from their start.")
    boolean resume;

    @Option(names = "--allow-non-empty",
            description = "Write into a target that already holds memberships (stray ones stay: repair removes them).")
    boolean allowNonEmpty;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String membership = kafka.topics().membership();
        try (Admin admin = Admin.create(kafka.kafkaConfig()); StoreTarget target = storeOptions.open()) {
            String refusal = refusal(admin, membership, target);
            if (refusal != null) {
                err.println("refused: " + refusal);
                err.flush();
                return ExitCodes.FAILED;
            }
            long start = System.nanoTime();
            long total = Offsets.groupLag(admin, groupId, membership);
            try (MembershipStore store = target.openWriter()) {
                WriterRuntime runtime = WriterRuntime.start(options(BatchCoalescer.Mode.REBUILD), store,
                        new SimpleMeterRegistry());
                try {
                    awaitCaughtUp(admin, runtime.writer(), membership, total, err);
                } finally {
                    runtime.close();
                }
                failIfStopped(runtime.writer());
                out.printf("rebuilt environment %s into %s (%s) from %,d records in %.1f s; stamped "
                        + "synchronizedOn %d; consumer group %s is committed at the end of %s%n",
                        target.environment(), target.describe(), store.describe(), total,
                        (System.nanoTime() - start) / 1e9, runtime.writer().lastStamps().get(target.environment()),
                        groupId, membership);
                out.flush();
                if (!thenExit) {
                    keepRunning(store, target, out);
                }
            }
            return ExitCodes.OK;
        }
    }

    /** Why the rebuild must not start, or null. */
    private String refusal(Admin admin, String membership, StoreTarget target) throws InterruptedException {
        TopicSetup.verifyCompacted(admin, List.of(membership));
        if (GroupOffsets.activeMembers(admin, groupId) > 0) {
            return "consumer group " + groupId + " has active members; a rebuild needs a new group";
        }
        if (resume) {
            return null;
        }
        List<TopicPartition> partitions = Offsets.partitions(admin, membership);
        if (!GroupOffsets.committed(admin, groupId, partitions).isEmpty()) {
            return "consumer group " + groupId + " already has offsets on " + membership
                    + "; a rebuild needs a new group (or --resume to continue an interrupted rebuild)";
        }
        if (!allowNonEmpty && target.hasMemberships()) {
            return target.describe() + " already holds memberships; rebuild into an empty prefix, database or "
                    + "table (or pass --allow-non-empty and repair afterwards)";
        }
        return null;
    }

    /** The topic carries every environment; the target holds one, and the others' records are skipped. */
    private WriterOptions options(BatchCoalescer.Mode mode) {
        return WriterOptions.builder(kafka.bootstrapServers(), Set.of(storeOptions.environment()), kafka.serdeConfig())
                .groupId(groupId).processorApplicationId(processorApplicationId).topics(kafka.topics())
                .maxPollRecords(maxPollRecords).stampInterval(stampInterval).mode(mode)
                .otherEnvironments(WriterOptions.OtherEnvironments.SKIP).source("bigsegments-rebuild")
                .kafkaOverrides(kafka.kafkaOverrides()).build();
    }

    /** Waits until the group has no lag and the writer has stamped: the store then holds the whole topic. */
    private void awaitCaughtUp(Admin admin, MembershipWriter writer, String membership, long total, PrintWriter err)
            throws InterruptedException {
        Progress progress = new Progress(err, "rebuilding", total);
        long lag = total;
        while (!writer.lastStamps().containsKey(storeOptions.environment())) {
            failIfStopped(writer);
            Thread.sleep(CHECK_INTERVAL.toMillis());
            lag = Offsets.groupLag(admin, groupId, membership);
            long ends = endTotal(admin, membership);
            progress.update(Math.max(0, ends - lag), ends);
        }
        progress.finish(endTotal(admin, membership) - lag);
    }

    private long endTotal(Admin admin, String membership) throws InterruptedException {
        List<TopicPartition> partitions = Offsets.partitions(admin, membership);
        Map<TopicPartition, Long> ends = Offsets.committedEnds(admin, partitions);
        Map<TopicPartition, Long> starts = GroupOffsets.list(admin, partitions, OffsetSpec.earliest());
        return partitions.stream().mapToLong(tp -> ends.get(tp) - starts.get(tp)).sum();
    }

    private static void failIfStopped(MembershipWriter writer) {
        if (writer.failure() != null) {
            throw new IllegalStateException("the rebuild's writer stopped: " + writer.failure().getMessage(),
                    writer.failure());
        }
    }

    /** Continues as the live writer for the store, in the same group, until the process is stopped. */
    private void keepRunning(MembershipStore store, StoreTarget target, PrintWriter out) throws InterruptedException {
        WriterRuntime live = WriterRuntime.start(options(BatchCoalescer.Mode.LIVE), store, new SimpleMeterRegistry());
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            live.close();
            stopped.countDown();
        }, "rebuild-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("continuing as the live writer for %s in group %s; stop with SIGTERM%n", target.describe(),
                groupId);
        out.flush();
        while (!stopped.await(CHECK_INTERVAL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            failIfStopped(live.writer());
            if (!live.writer().isRunning()) {
                break;
            }
        }
    }
}
