package dev.bigsegments.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.embedded.FreePorts;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.testkit.Evaluation;
import dev.bigsegments.testkit.RedisAdmin;
import dev.bigsegments.testkit.RedisBigSegmentStoreReader;
import dev.bigsegments.testkit.SdkProbe;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pipeline of a fault test: the three packaged services as processes on a broker, a Redis of its own (by
 * default a durable {@code redis-server}, with an append-only file so it can be killed and restarted with its
 * data; or any Redis a URI names: a cluster, a Sentinel master), and a user of the REST API. The store is alone
 * in its Redis, so its members are counted with {@code DBSIZE} (over every master of a cluster).
 */
final class FaultPipeline implements AutoCloseable {
    static final String TOKEN = "fault-token";
    static final String SEGMENT = "faulty";
    static final String REF = SEGMENT + ".g1";
    static final Duration WORK = Duration.ofMinutes(4);

    final PipelineScenario scenario;
    /** The durable server the pipeline started, or null when it writes to a Redis given by URI. */
    final EmbeddedRedis redis;
    final String redisUri;
    final ServiceProcess ingest;
    final ServiceProcess processor;
    final ServiceProcess writer;
    final ImportClient client;
    private RedisAdmin admin;
    private long reconnectedAt = System.nanoTime();

    private FaultPipeline(PipelineScenario scenario, Map<String, String> extra, EmbeddedRedis redis, String redisUri)
            throws Exception {
        this.scenario = scenario;
        this.redis = redis;
        this.redisUri = redisUri;
        int port = FreePorts.next();
        Map<String, String> writerEnv = with(scenario.writer(redisUri), extra);
        writerEnv.put("BIGSEGMENTS_WRITER_STAMP_INTERVAL", "500ms");
        writerEnv.put("BIGSEGMENTS_WRITER_RETRY_BACKOFF_MAX", "2s");
        // The ingest service asks the processor's query endpoint, as where the services run apart.
        int processorPort = FreePorts.next();
        Map<String, String> processorEnv = with(scenario.processor(), extra);
        processorEnv.put("QUARKUS_HTTP_PORT", String.valueOf(processorPort));
        Map<String, String> ingestEnv = with(scenario.ingest(port, TOKEN), extra);
        ingestEnv.put("BIGSEGMENTS_INGEST_PROCESSOR_URL", "http://127.0.0.1:" + processorPort);
        this.processor = new ServiceProcess("stream-processor", processorEnv).start();
        this.writer = new ServiceProcess("store-writer", writerEnv).start();
        this.ingest = new ServiceProcess("ingest-service", ingestEnv).start();
        this.client = new ImportClient(port, scenario, TOKEN);
        this.admin = new RedisAdmin(redisUri);
    }

    /** With a durable redis-server of its own; starts the services, waits until each is ready, creates the segment. */
    static FaultPipeline start(PipelineScenario scenario, Map<String, String> extra) throws Exception {
        EmbeddedRedis redis = EmbeddedRedis.startDurable();
        return start(new FaultPipeline(scenario, extra, redis, redis.uri()));
    }

    /** As {@link #start(PipelineScenario, Map)}, writing to the Redis {@code redisUri} names. */
    static FaultPipeline start(PipelineScenario scenario, Map<String, String> extra, String redisUri)
            throws Exception {
        return start(new FaultPipeline(scenario, extra, null, redisUri));
    }

    private static FaultPipeline start(FaultPipeline pipeline) {
        pipeline.processor.awaitReady();
        pipeline.writer.awaitReady();
        pipeline.ingest.awaitReady();
        pipeline.client.createSegment(SEGMENT);
        return pipeline;
    }

    private static Map<String, String> with(Map<String, String> env, Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(extra);
        return all;
    }

    /** A CSV of {@code user-from} to {@code user-(to-1)}, one key a line. */
    static Path csv(int from, int to) throws Exception {
        Path csv = Files.createTempFile("fault-", ".csv");
        csv.toFile().deleteOnExit();
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            for (int i = from; i < to; i++) {
                out.write("user-" + i);
                out.write('\n');
            }
        }
        return csv;
    }

    RedisClusterCommands<String, String> redis() {
        return admin.commands();
    }

    /** After Redis restarted, a new connection. */
    void reconnect() {
        admin.close();
        admin = new RedisAdmin(redisUri);
    }

    /**
     * Members so far; -1 while Redis does not answer. A failure also replaces the connection (at most once a
     * second): after a failover a new client learns the topology afresh from the nodes that answer.
     */
    long members() {
        try {
            return WriterKeys.members(admin.dbsize(), redis(), scenario.prefix());
        } catch (RuntimeException e) {
            if (System.nanoTime() - reconnectedAt > 1_000_000_000L) {
                reconnectedAt = System.nanoTime();
                try {
                    reconnect();
                } catch (RuntimeException again) {
                    // still unreachable: tried again at a later call
                }
            }
            return -1;
        }
    }

    String stamp() {
        return redis().get(WriterKeys.stamp(scenario.prefix()));
    }

    /** Waits until the import is complete and the store holds exactly {@code user-from..to} and is stamped after. */
    void awaitExactAndStamped(String importId, int from, int to, long stampedAfter) throws Exception {
        try {
            await().atMost(WORK).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> "complete".equals(client.status(SEGMENT, importId).getString("status")));
            await().atMost(WORK).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                String stamp = stamp();
                return stamp != null && Long.parseLong(stamp) > stampedAfter && members() == to - from;
            });
            // The reader's own view of a cluster may lag a failover by a moment: a read that fails is tried again.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
                    .until(() -> {
                        assertExact(from, to);
                        return true;
                    });
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + " (members now " + members() + ", stamp " + stampOrNull()
                    + ")\nthe reader's view of the store:\n" + admin.topology() + logs(), e);
        }
    }

    private String stampOrNull() {
        try {
            return stamp();
        } catch (RuntimeException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** The include sets hold exactly the keys, each with the segment's ref and nothing else; no exclude set. */
    void assertExact(int from, int to) {
        assertExact(admin, scenario.prefix(), from, to);
    }

    /**
     * The include sets under {@code prefix} hold exactly {@code user-from..to}, each with the segment's ref, and
     * the store holds nothing else but the writer's own keys (the store is alone in its database).
     */
    static void assertExact(RedisAdmin admin, String prefix, int from, int to) {
        Set<String> expected = new HashSet<>((to - from) * 2);
        for (int i = from; i < to; i++) {
            expected.add(ContextHashes.hash("user-" + i));
        }
        String include = prefix + ":big_segment_include:";
        List<String> wrong = new ArrayList<>();
        Set<String> seen = new HashSet<>((to - from) * 2);
        admin.forEachSet(include + "*", (key, refs) -> {
            String hash = key.substring(include.length());
            if ((!expected.contains(hash) || !refs.equals(Set.of(REF))) && wrong.size() < 20) {
                wrong.add(hash + " -> " + refs);
            }
            seen.add(hash);
        });
        assertThat(wrong).as("included members not imported, or with other refs (first 20)").isEmpty();
        assertThat(seen.size()).as("included members").isEqualTo(to - from);
        assertThat(admin.dbsize()).as("members and the writer's own keys, nothing else")
                .isEqualTo(to - from + WriterKeys.whenStamped());
    }

    /** The real SDK, reading the store, finds a sample of the members in the segment and others out, healthy. */
    void assertSdkSees(int from, int to) {
        try (SdkProbe sdk = SdkProbe.forSegment(SEGMENT, 1, new RedisBigSegmentStoreReader(redisUri,
                scenario.prefix()), Duration.ofMinutes(2))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (int i = from; i < to; i += Math.max(1, (to - from) / 50)) {
                    assertThat(sdk.evaluate("user-" + i)).as("user-%d", i).isEqualTo(Evaluation.healthy(true));
                }
                assertThat(sdk.evaluate("user-" + (to + 1))).isEqualTo(Evaluation.healthy(false));
                assertThat(sdk.evaluate("user-" + (from - 1))).isEqualTo(Evaluation.healthy(false));
            });
        }
    }

    /** The logs of the three services, for a failure message. */
    String logs() throws Exception {
        return "--- ingest ---\n" + ingest.logTail() + "\n--- processor ---\n" + processor.logTail()
                + "\n--- writer ---\n" + writer.logTail();
    }

    @Override
    public void close() throws Exception {
        ingest.close();
        writer.close();
        processor.close();
        admin.close();
        if (redis != null) {
            redis.close();
        }
    }
}
