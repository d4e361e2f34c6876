package dev.bigsegments.bench;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.embedded.EmbeddedRedisCluster;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.kafka.Offsets;
import dev.bigsegments.store.redis.RedisMembershipStore;
import dev.bigsegments.store.writer.BatchCoalescer;
import dev.bigsegments.store.writer.WriterOptions;
import dev.bigsegments.store.writer.WriterRuntime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;

/** Workload 5: the writer alone, in this JVM, rebuilding a new prefix from the compacted membership topic. */
final class RebuildWorkload {
    /** Rebuilds measured, each between two runs of the reference. */
    private static final int ROUNDS = 5;

    private RebuildWorkload() {
    }

    /**
     * Runs {@code redis-cli --pipe} and the rebuild in turn on a Redis of their own, emptied before each run so
     * that every run starts from the same server state: one rebuild to warm the writer's code (not counted),
     * then pipe, rebuild, pipe, ..., rebuild, pipe. Each rebuild is compared with the mean of the two pipe runs
     * around it, and the median of those ratios is the result: on this shared machine two pipe runs a few
     * seconds apart differ by up to half.
     *
     * @param keys SADDs to new keys {@code redis-cli --pipe} sends in each reference run: what a rebuild asks
     *     of Redis (a new set per context), sent as fast as Redis's own client can
     * @param memberships memberships in the compacted topic, which the rebuild writes
     */
    static void run(EmbeddedKafka kafka, RedisProbe probe, Path work, int keys, long memberships,
            ResultTable table) throws Exception {
        double baseline = probe.redisBenchmarkSadd(keys);
        double[] pipes = new double[ROUNDS + 1];
        double[] rebuilds = new double[ROUNDS];
        // Redis's CPU seconds in each run (INFO cpu): how busy the rebuild kept it, and what a SADD cost it.
        double[] pipeCpu = new double[ROUNDS + 1];
        double[] rebuildCpu = new double[ROUNDS];
        double cold;
        try (EmbeddedRedis target = EmbeddedRedis.start();
                RedisProbe targetProbe = new RedisProbe(target.uri(), target.port())) {
            cold = memberships / rebuild(kafka, target.uri(), "bench-rebuild-cold");
            for (int round = 0; round <= ROUNDS; round++) {
                targetProbe.flushAll();
                double before = targetProbe.cpuSeconds();
                pipes[round] = targetProbe.redisCliPipeNewKeys(keys, "pipe", "bench.g1", work);
                pipeCpu[round] = targetProbe.cpuSeconds() - before;
                if (round < ROUNDS) {
                    targetProbe.flushAll();
                    before = targetProbe.cpuSeconds();
                    rebuilds[round] = memberships / rebuild(kafka, target.uri(), "bench-rebuild-" + round);
                    rebuildCpu[round] = targetProbe.cpuSeconds() - before;
                }
            }
        }
        double[] ratios = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            ratios[round] = rebuilds[round] / ((pipes[round] + pipes[round + 1]) / 2);
        }
        int median = medianIndex(ratios);
        double pipe = (pipes[median] + pipes[median + 1]) / 2;
        double standalone = rebuilds[median];
        double pipeSaddMicros = (pipeCpu[median] + pipeCpu[median + 1]) * 1e6 / (2.0 * keys);
        table.add("redis-cli --pipe: as many SADDs to new keys", keys, pipe, baseline, String.format(
                "second reference: what (5) asks of Redis, sent by Redis's own client into an emptied Redis; mean of"
                        + " the runs around the median rebuild; all runs: %s", list(pipes, "%,.0f")));
        table.add("5. writer alone: rebuild from the compacted topic", memberships, standalone, baseline,
                String.format("target ≥ 0.57 of redis-cli --pipe, aim 0.7: %.2f, the median of %d rebuilds each"
                        + " against the pipe runs around it (%s); the first rebuild in this JVM, its code cold,"
                        + " not counted: %,.0f/s; Redis busy %.0f%% of the median rebuild, %.2f µs of its CPU per SADD"
                        + " (%.2f in the pipe runs around it)", ratios[median], ROUNDS, list(ratios, "%.2f"), cold,
                        100 * rebuildCpu[median] * standalone / memberships,
                        rebuildCpu[median] * 1e6 / memberships, pipeSaddMicros));
        // The same into a Redis Cluster of three masters on this machine: every write goes to the master of its
        // key's slot, three servers sharing the two cores with everything else.
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3, 0)) {
            double clustered = memberships / rebuild(kafka, cluster.uri(), "bench-rebuild-cluster");
            table.add("5. the same into a Redis Cluster (3 masters)", memberships, clustered, baseline,
                    String.format("%.2f of the median one-server rebuild above; %.2f of redis-cli --pipe to one"
                            + " server", clustered / standalone, clustered / pipe));
        }
    }

    private static int medianIndex(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        return order[order.length / 2];
    }

    /** The values, each formatted with {@code format}, separated by commas. */
    private static String list(double[] values, String format) {
        return Arrays.stream(values).mapToObj(v -> String.format(format, v)).collect(Collectors.joining(", "));
    }

    /**
     * Rebuilds a new prefix of the store at {@code uri} in a new consumer group; returns the seconds from the
     * writer's start until every membership is applied and its offset committed (closing the writer after that
     * is not counted, as the pipe's time ends with its last reply).
     */
    private static double rebuild(EmbeddedKafka kafka, String uri, String group) throws Exception {
        Map<String, Object> serde = Map.of("schema.registry.url", "mock://standalone");
        WriterOptions options = WriterOptions.builder(kafka.bootstrapServers(),
                Set.of(ServiceDeployment.ENVIRONMENT_ID), serde).groupId(group)
                .mode(BatchCoalescer.Mode.REBUILD).otherEnvironments(WriterOptions.OtherEnvironments.SKIP).build();
        long start = System.nanoTime();
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(uri)
                .prefixes(Map.of(ServiceDeployment.ENVIRONMENT_ID, group)).build();
                WriterRuntime writer = WriterRuntime.start(options, store, new SimpleMeterRegistry());
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (Offsets.groupLag(admin, group, TopicNames.defaults().membership()) > 0) {
                if (System.nanoTime() > deadline || !writer.writer().isRunning()) {
                    throw new IllegalStateException("rebuild did not finish", writer.writer().failure());
                }
                Thread.sleep(10);
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
