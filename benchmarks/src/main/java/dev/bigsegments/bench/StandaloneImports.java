package dev.bigsegments.bench;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.embedded.FreePorts;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.store.writer.WriterOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Workloads 1 and 3 on the packaged standalone application: a replace import of the list, then the same
 * list with 1% of its keys changed. Workload 1 is measured twice: the first import after the application starts
 * (every code path still cold), then the same size into a second segment. The imports also fill the compacted
 * topic workload 5 rebuilds from.
 */
final class StandaloneImports {
    private static final String PREFIX = "launchdarkly";
    private static final String WARM_SEGMENT = BenchmarkMain.SEGMENT + "-warm";

    private StandaloneImports() {
    }

    /**
     * @return the memberships the imports left in the compacted topic, which workload 5 rebuilds
     */
    static long run(BenchOptions options, EmbeddedKafka kafka, EmbeddedRedis redis, RedisProbe probe, Path work,
            double baseline, ResultTable table) throws Exception {
        int keys = options.keys();
        int port = FreePorts.next();
        int managementPort = FreePorts.next();
        List<String> args = List.of("--kafka-bootstrap-servers", kafka.bootstrapServers(), "--redis-url", redis.uri(),
                "--port", String.valueOf(port), "--management-port", String.valueOf(managementPort),
                "--registry-port", String.valueOf(FreePorts.next()), "--data-dir", work.resolve("data").toString());
        Map<String, String> env = Map.of("BIGSEGMENTS_INGEST_TOKENS_STANDALONE_SECRET", BenchmarkMain.TOKEN,
                "BIGSEGMENTS_WRITER_STAMP_INTERVAL", "200ms",
                "BIGSEGMENTS_PROCESSOR_SHARDS", String.valueOf(options.shards()),
                "BIGSEGMENTS_PROCESSOR_THREADS", String.valueOf(options.processorThreads()));
        try (ChildJvm app = ChildJvm.start("standalone", options.standaloneHeap(), args, env,
                work.resolve("standalone.log"))) {
            app.awaitReady(managementPort);
            ApiClient api = new ApiClient(port, BenchmarkMain.TOKEN);
            api.createSegment(BenchmarkMain.SEGMENT);

            Path first = Imports.csv(work.resolve("first.csv"), keys, 0);
            long before = probe.storeOps();
            long memoryBefore = probe.usedMemory();
            double seconds1 = Imports.timeReplace(api, probe, PREFIX, BenchmarkMain.SEGMENT, first, app::requireAlive);
            long perMembership = (probe.usedMemory() - memoryBefore) / keys;
            System.err.printf("first import used %d store operations%n", probe.storeOps() - before);
            long memberships = keys;
            double warm = 0;
            if (options.runs(1)) {
                table.add("1. CSV replace import, HTTP → Redis, stamped", keys, keys / seconds1, baseline,
                        layout(options) + "first import after start; peak RSS " + app.peakRssMiB() + " MiB (all services + JVM, -Xmx"
                                + options.standaloneHeap() + "); Redis memory " + perMembership + " B per membership");
                // The same import into a new segment, other keys, in the JVM that has now run every code path
                // once: what a running deployment does, without the first minute's compilation.
                api.createSegment(WARM_SEGMENT);
                Path other = Imports.csv(work.resolve("second.csv"), keys, 2 * keys);
                warm = Imports.timeReplace(api, probe, PREFIX, WARM_SEGMENT, other, app::requireAlive);
                memberships += keys;
                table.add("1. the same, second import (warm JVM)", keys, keys / warm, baseline,
                        layout(options) + "a new segment and new keys, after the first import in the same process");
            }
            if (options.runs(3)) {
                long mid = probe.storeOps();
                Map<String, String> topics = TopicRecords.processorTopics(TopicNames.defaults(),
                        WriterOptions.DEFAULT_PROCESSOR_APPLICATION_ID, options.shards() > 1);
                List<String> names = List.copyOf(topics.keySet());
                Map<String, Long> recordsBefore = TopicRecords.count(kafka.bootstrapServers(), names);
                Path changed = Imports.csv(work.resolve("changed.csv"), keys, keys / 100);
                double seconds3 = Imports.timeReplace(api, probe, PREFIX, BenchmarkMain.SEGMENT, changed,
                        app::requireAlive);
                long ops = probe.storeOps() - mid;
                String against = warm > 0 ? String.format("%.1f s / %.1f s for (1) first / second", seconds1, warm)
                        : String.format("%.1f s for (1)", seconds1);
                table.add("3. re-import with 1% changed", keys, keys / seconds3, baseline, String.format(
                        "store ops %,d = %.2f%% of list; wall %.1f s vs %s; Kafka records written: %s", ops,
                        100.0 * ops / keys, seconds3, against, TopicRecords.perKey(recordsBefore,
                                TopicRecords.count(kafka.bootstrapServers(), names), topics, keys)));
            }
            return memberships;
        }
    }

    /** The processor's shards and threads when not the defaults, for the notes. */
    private static String layout(BenchOptions options) {
        return options.shards() == 1 && options.processorThreads() == 1 ? ""
                : "shards " + options.shards() + ", stream threads " + options.processorThreads() + "; ";
    }
}
