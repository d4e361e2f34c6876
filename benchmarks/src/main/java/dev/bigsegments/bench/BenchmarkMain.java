package dev.bigsegments.bench;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.embedded.FreePorts;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.kafka.Offsets;
import dev.bigsegments.writer.BatchCoalescer;
import dev.bigsegments.writer.WriterOptions;
import dev.bigsegments.writer.WriterRuntime;
import dev.bigsegments.writer.store.RedisMembershipStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;

/**
 * Runs the workloads on this machine and prints one table. Each rate is compared, in the same run,
 * with {@code redis-benchmark -t sadd -n N -P 64} against the same Redis: absolute numbers on a
 * shared machine are noise, ratios measured side by side are not.
 *
 * <pre>
 * ./mvnw -q -DskipTests install && ./mvnw -q -pl benchmarks exec:java -Dexec.args="--keys 1000000"
 * </pre>
 */
public final class BenchmarkMain {
    private static final String TOKEN = "bench-token";
    private static final String SEGMENT = "bench";
    private static final String PREFIX = "launchdarkly";

    public static void main(String[] args) throws Exception {
        int keys = 1_000_000;
        String heap = "1g";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--ingest-heap" -> heap = args[++i];
                default -> throw new IllegalArgumentException("usage: BenchmarkMain [--keys N] [--ingest-heap 1g]");
            }
        }
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.WARNING);
        List<String[]> rows = new ArrayList<>();
        Path work = Files.createTempDirectory("bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null); EmbeddedRedis redis = EmbeddedRedis.start();
                RedisProbe probe = new RedisProbe(redis.uri(), redis.port())) {
            int port = FreePorts.next();
            Path log = work.resolve("standalone.log");
            System.err.println("standalone log: " + log);
            try (StandaloneProcess app = StandaloneProcess.start(heap, kafka.bootstrapServers(), redis.uri(), port,
                    TOKEN, work.resolve("data"), log)) {
                ApiClient api = new ApiClient(port, TOKEN);
                awaitReady(api, app);
                api.createSegment(SEGMENT);
                double baseline = probe.redisBenchmarkSadd(keys);
                rows.add(row("redis-benchmark -t sadd -P 64", keys, baseline, 1.0, ""));

                Path first = csv(work.resolve("first.csv"), keys, 0);
                long before = probe.calls("sadd") + probe.calls("srem");
                double seconds1 = timeImport(api, probe, first);
                double rate1 = keys / seconds1;
                rows.add(row("1. CSV replace import, HTTP → Redis, stamped", keys, rate1, rate1 / baseline,
                        "peak RSS " + app.peakRssMiB() + " MiB (all services + JVM)"));

                Path changed = csv(work.resolve("changed.csv"), keys, keys / 100);
                long mid = probe.calls("sadd") + probe.calls("srem");
                double seconds3 = timeImport(api, probe, changed);
                long ops = probe.calls("sadd") + probe.calls("srem") - mid;
                rows.add(row("3. re-import with 1% changed", keys, keys / seconds3, (keys / seconds3) / baseline,
                        String.format("store ops %d = %.2f%% of list; wall %.1fs vs %.1fs", ops,
                                100.0 * ops / keys, seconds3, seconds1)));
                System.err.printf("first import used %d store operations%n", mid - before);
            }
            rows.add(rebuildRow(kafka, redis, keys, probe.redisBenchmarkSadd(keys)));
        }
        print(rows);
    }

    private static void progress(String[] row) {
        System.err.println("  " + String.join(" | ", row));
    }

    private static String[] rebuildRow(EmbeddedKafka kafka, EmbeddedRedis redis, int keys, double baseline)
            throws Exception {
        Map<String, Object> serde = Map.of("schema.registry.url", "mock://standalone");
        WriterOptions options = new WriterOptions(kafka.bootstrapServers(), "bench-rebuild", "bigsegments-processor",
                TopicNames.defaults(), Set.of(), serde, WriterOptions.DEFAULT_MAX_POLL_RECORDS,
                WriterOptions.DEFAULT_STAMP_INTERVAL, dev.bigsegments.writer.Backoff.defaults(),
                BatchCoalescer.Mode.REBUILD, Map.of());
        long start = System.nanoTime();
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(redis.uri())
                .prefixes(Map.of("demo-client-side-id", "rebuild")).build();
                WriterRuntime writer = WriterRuntime.start(options, store, new SimpleMeterRegistry());
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (Offsets.groupLag(admin, "bench-rebuild", TopicNames.defaults().membership()) > 0) {
                if (System.nanoTime() > deadline || !writer.writer().isRunning()) {
                    throw new IllegalStateException("rebuild did not finish", writer.writer().failure());
                }
                Thread.sleep(50);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return row("5. writer alone: rebuild from the compacted topic", keys, keys / seconds,
                (keys / seconds) / baseline, "target ≥ 0.5");
    }

    private static double timeImport(ApiClient api, RedisProbe probe, Path csv) throws Exception {
        long start = System.nanoTime();
        String location = api.startImport(SEGMENT, csv, "replace");
        String status;
        while (!(status = api.status(location)).equals("complete")) {
            if (status.equals("stopped")) {
                throw new IllegalStateException("import stopped: " + location);
            }
            Thread.sleep(100);
        }
        long completed = System.currentTimeMillis();
        while (probe.synchronizedOn(PREFIX) <= completed) {
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void awaitReady(ApiClient api, StandaloneProcess app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!api.ready()) {
            if (!app.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the standalone application did not become ready (see its log)");
            }
            Thread.sleep(200);
        }
    }

    /** Keys user-{offset}..user-{offset+n-1}: an offset of n/100 changes 1% of the list. */
    private static Path csv(Path file, int n, int offset) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = offset; i < offset + n; i++) {
                w.write("user-");
                w.write(Integer.toString(i));
                w.write('\n');
            }
        }
        return file;
    }

    private static String[] row(String workload, long keys, double rate, double ratio, String note) {
        String[] row = {workload, String.valueOf(keys), String.format("%,.0f", rate), String.format("%.2f", ratio),
                note};
        progress(row);
        return row;
    }

    private static void print(List<String[]> rows) {
        String format = "| %-50s | %9s | %12s | %6s | %s |%n";
        System.out.printf(format, "workload", "keys", "keys/s", "ratio", "notes");
        System.out.printf(format, "-".repeat(50), "-".repeat(9), "-".repeat(12), "-".repeat(6), "-----");
        rows.forEach(r -> System.out.printf(format, (Object[]) r));
        System.out.printf("%n(ratio = rate / redis-benchmark SADD rate on the same Redis in this run; %d cores)%n",
                Runtime.getRuntime().availableProcessors());
    }
}
