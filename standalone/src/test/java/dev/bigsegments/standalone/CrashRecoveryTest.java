package dev.bigsegments.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.ingest.publish.CommandPublisher;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.ImportBegin;
import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.ImportCommit;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.IngestStats;
import dev.bigsegments.schemas.kafka.CompactedTopicView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Kills the writer and the stream processor with SIGKILL while they work, restarts them, and checks
 * that the store ends exactly right. Services run as separate processes from their packaged artifacts.
 */
class CrashRecoveryTest {
    private static final int KEYS = 100_000;
    private static final int SHARDED_DATABASE = 3;

    @Test
    void aWriterKilledMidBatchAndRestartedLeavesTheStoreExact() throws Exception {
        Scenario s = new Scenario("wcrash");
        try (ServiceProcess processor = s.processor().start();
                CompactedTopicView<ImportStatus> status = s.importView()) {
            s.importKeys(KEYS);
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                ImportStatus st = status.get(PipelineScenario.key(s.importId));
                return st != null && st.getStatus() == ImportState.COMPLETE;
            });
            long before = RedisSnapshot.dbSize(SharedServices.redis().uri());
            try (ServiceProcess writer = s.writer().start()) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(5))
                        .until(() -> RedisSnapshot.dbSize(SharedServices.redis().uri()) > before);
                writer.kill();
            }
            assertThat(s.includedCount()).as("killed before the import was fully written").isLessThan(KEYS);
            try (ServiceProcess restarted = s.writer().start()) {
                s.awaitExact(KEYS, restarted);
            }
        }
    }

    @Test
    void aProcessorKilledWhileApplyingAnImportAndRestartedLeavesTheStoreExact() throws Exception {
        Scenario s = new Scenario("pcrash");
        try (ServiceProcess writer = s.writer().start();
                CompactedTopicView<ImportStatus> status = s.importView()) {
            try (ServiceProcess processor = s.processor().start()) {
                s.importKeys(KEYS);
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(10))
                        .until(() -> s.lastStatus(status),
                                st -> st != null && st.getStatus() == ImportState.IN_PROGRESS && st.getProcessed() > 0);
                processor.kill();
            }
            ImportStatus atKill = status.get(PipelineScenario.key(s.importId));
            assertThat(atKill.getStatus()).as("killed in the middle of the apply").isEqualTo(ImportState.IN_PROGRESS);
            try (ServiceProcess restarted = s.processor().start()) {
                s.awaitExact(KEYS, restarted);
                await().atMost(Duration.ofMinutes(1)).until(() -> status.get(PipelineScenario.key(s.importId))
                        .getStatus() == ImportState.COMPLETE);
            }
        }
    }

    /**
     * Two processes of one processor with 4 shards, the second SIGKILLed while the import is applied: the first
     * takes its shards over (after the group's session timeout) and finishes, the store ends exact, and no
     * {@code synchronizedOn} stamped after the import was published comes before the store is whole.
     */
    @Test
    void aShardedImportWhoseSecondProcessorIsKilledMidwayIsFinishedExactlyByTheFirst() throws Exception {
        Scenario s = new Scenario("scrash");
        SynchronizedOnInvariant invariant = new SynchronizedOnInvariant(KEYS);
        // A Redis database of its own: the monitor counts every key in it.
        String redisUri = SharedServices.redis().uri() + "/" + SHARDED_DATABASE;
        Map<String, String> writerEnv = s.pipeline.writer(redisUri);
        writerEnv.put("BIGSEGMENTS_WRITER_STAMP_INTERVAL", "500ms");
        try (ServiceProcess writer = new ServiceProcess("store-writer", writerEnv).start();
                CompactedTopicView<ImportStatus> status = s.importView();
                ServiceProcess first = s.shardedProcessor("first").start();
                SynchronizedOnMonitor monitor = new SynchronizedOnMonitor(redisUri, s.pipeline.prefix(), invariant)) {
            try (ServiceProcess second = s.shardedProcessor("second").start()) {
                s.importKeys(KEYS);
                invariant.handedOverAt(System.currentTimeMillis());
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(10))
                        .until(() -> s.lastStatus(status),
                                st -> st != null && st.getStatus() == ImportState.IN_PROGRESS && st.getProcessed() > 0);
                second.kill();
            }
            ImportStatus atKill = status.get(PipelineScenario.key(s.importId));
            assertThat(atKill.getStatus()).as("killed in the middle of the apply").isEqualTo(ImportState.IN_PROGRESS);
            s.awaitExact(KEYS, first, redisUri);
            ImportStatus done = await().atMost(Duration.ofMinutes(1)).until(
                    () -> status.get(PipelineScenario.key(s.importId)), st -> st.getStatus() == ImportState.COMPLETE);
            assertThat(done.getAdded()).as("summed over the 4 shards").isEqualTo(KEYS);
            assertThat(done.getKeysStaged()).isEqualTo(KEYS);
            await().atMost(Duration.ofMinutes(1)).until(invariant::checked, n -> n > 0);
            assertThat(invariant.violations()).as("a stamp over a store that was not whole").isEmpty();
            assertThat(monitor.failure()).as("the monitor sampled throughout").isNull();
        }
    }

    /** One test's isolated pipeline, with the import it publishes. */
    private static final class Scenario {
        final PipelineScenario pipeline;
        final String importId;
        final SegmentId segment;

        Scenario(String name) throws Exception {
            this.pipeline = new PipelineScenario(name);
            this.importId = name + "-import";
            this.segment = new SegmentId(pipeline.environmentId, "seg");
        }

        ServiceProcess processor() throws Exception {
            Map<String, String> env = pipeline.processor();
            // Small slices and a short budget stretch the apply out, so a kill lands in its middle.
            env.put("BIGSEGMENTS_PROCESSOR_SLICE_SIZE", "200");
            env.put("BIGSEGMENTS_PROCESSOR_SLICE_BUDGET", "10ms");
            return new ServiceProcess("stream-processor", env);
        }

        /** One of the processes of a processor with 4 shards (one per partition), with its own state directory. */
        ServiceProcess shardedProcessor(String instance) throws Exception {
            Map<String, String> env = pipeline.processor();
            env.put("BIGSEGMENTS_PROCESSOR_SHARDS", String.valueOf(PipelineScenario.PARTITIONS));
            env.put("BIGSEGMENTS_PROCESSOR_STATE_DIR", env.get("BIGSEGMENTS_PROCESSOR_STATE_DIR") + "-" + instance);
            env.put("BIGSEGMENTS_PROCESSOR_SLICE_SIZE", "200");
            env.put("BIGSEGMENTS_PROCESSOR_SLICE_BUDGET", "10ms");
            return new ServiceProcess("stream-processor", env);
        }

        ServiceProcess writer() throws Exception {
            Map<String, String> env = pipeline.writer(SharedServices.redis().uri());
            env.put("BIGSEGMENTS_WRITER_MAX_POLL_RECORDS", "2000");
            return new ServiceProcess("store-writer", env);
        }

        CompactedTopicView<ImportStatus> importView() {
            return pipeline.importView();
        }

        /** Publishes a segment and a committed replace import of keys 0..n, as the ingest service would. */
        void importKeys(int n) {
            Map<String, Object> client = Map.of("bootstrap.servers", SharedServices.kafka().bootstrapServers());
            try (CommandPublisher publisher = new CommandPublisher(client,
                    Map.of("schema.registry.url", pipeline.registry), pipeline.topics.commands())) {
                publisher.sendAndWait(CommandPublisher.command(segment, null, new CreateSegment("seg", "user", null)));
                publisher.send(CommandPublisher.command(segment, importId + ":begin",
                        new ImportBegin(importId, ImportMode.REPLACE, "crash.csv")));
                long seq = 0;
                for (int i = 0; i < n; i += 5_000) {
                    List<ContextHash> chunk = new ArrayList<>();
                    for (int k = i; k < Math.min(n, i + 5_000); k++) {
                        chunk.add(new ContextHash(ContextHashes.digest("user-" + k)));
                    }
                    publisher.send(CommandPublisher.command(segment, importId + ":" + seq,
                            new ImportChunk(importId, seq++, chunk, List.of())));
                }
                publisher.sendAndWait(CommandPublisher.command(segment, importId + ":commit",
                        new ImportCommit(importId, seq, new IngestStats((long) n, 0L, 0L, new ArrayList<>()))));
            }
        }

        ImportStatus lastStatus(CompactedTopicView<ImportStatus> view) {
            return view.get(PipelineScenario.key(importId));
        }

        int includedCount() throws Exception {
            return RedisSnapshot.read(SharedServices.redis().uri(), pipeline.prefix(), "include").size();
        }

        void awaitExact(int n, ServiceProcess restarted) throws Exception {
            awaitExact(n, restarted, SharedServices.redis().uri());
        }

        void awaitExact(int n, ServiceProcess restarted, String redisUri) throws Exception {
            Map<String, Set<String>> expected = new HashMap<>();
            for (int k = 0; k < n; k++) {
                expected.put(ContextHashes.hash("user-" + k), Set.of("seg.g1"));
            }
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                        assertThat(RedisSnapshot.read(redisUri, pipeline.prefix(), "include")).isEqualTo(expected));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- restarted service log ---\n" + restarted.logTail(), e);
            }
        }
    }
}
