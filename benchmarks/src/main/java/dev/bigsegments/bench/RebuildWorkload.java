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
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;

/** Workload 5: the writer alone, in this JVM, rebuilding a new prefix from the compacted membership topic. */
final class RebuildWorkload {
    private RebuildWorkload() {
    }

    /**
     * @param keys SADDs to new keys {@code redis-cli --pipe} sends just before the rebuild: a second reference,
     *     the most Redis itself takes of this kind of write. It is sent again just after, for comparison: into a
     *     Redis that then holds more keys, often without its key table having to grow on the way, which makes
     *     that run the cheaper one.
     * @param memberships memberships in the compacted topic, which the rebuild writes
     */
    static void run(EmbeddedKafka kafka, EmbeddedRedis redis, RedisProbe probe, Path work, int keys,
            long memberships, ResultTable table) throws Exception {
        double baseline = probe.redisBenchmarkSadd(keys);
        double pipe = probe.redisCliPipeNewKeys(keys, "pipe", "bench.g1", work);
        double standalone = memberships / rebuild(kafka, redis.uri(), "bench-rebuild");
        double after = probe.redisCliPipeNewKeys(keys, "pipe-after", "bench.g1", work);
        table.add("redis-cli --pipe: as many SADDs to new keys", keys, pipe, baseline, String.format(
                "second reference: what (5) asks of Redis, sent by Redis's own client just before (5); %,.0f"
                        + " just after", after));
        table.add("5. writer alone: rebuild from the compacted topic", memberships, standalone, baseline,
                String.format("target ≥ 0.57 of redis-cli --pipe, aim 0.7: %.2f (%.2f of the run just after)",
                        standalone / pipe, standalone / after));
        // The same into a Redis Cluster of three masters on this machine: every write goes to the master of its
        // key's slot, three servers sharing the two cores with everything else.
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3, 0)) {
            double clustered = memberships / rebuild(kafka, cluster.uri(), "bench-rebuild-cluster");
            table.add("5. the same into a Redis Cluster (3 masters)", memberships, clustered, baseline,
                    String.format("%.2f of the one-server rebuild above; %.2f of redis-cli --pipe to one server",
                            clustered / standalone, clustered / pipe));
        }
    }

    /** Rebuilds a new prefix of the store at {@code uri} in a new consumer group; returns the seconds it took. */
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
                Thread.sleep(50);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
