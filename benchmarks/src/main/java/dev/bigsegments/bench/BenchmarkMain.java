package dev.bigsegments.bench;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.jboss.logmanager.LogContext;
import org.slf4j.LoggerFactory;

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
    static final String TOKEN = "bench-token";
    static final String SEGMENT = "bench";

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        quietBrokerLogging();
        ResultTable table = new ResultTable();
        Path work = Files.createTempDirectory("bench");
        System.err.println("work directory (data and service logs): " + work);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null); EmbeddedRedis redis = EmbeddedRedis.start();
                RedisProbe probe = new RedisProbe(redis.uri(), redis.port())) {
            int keys = options.keys();
            double baseline = probe.redisBenchmarkSadd(keys);
            table.add("redis-benchmark -t sadd -P 64", keys, baseline, baseline, "baseline, same Redis, same run");
            boolean imported = false;
            long[] memberships = {keys};
            for (int workload : options.workloads()) {
                if (workload != 2 && workload != 4 && workload != 6 && !imported) {
                    imported = true;
                    attempt(table, "1/3", () -> memberships[0] = StandaloneImports.run(options, kafka, redis, probe,
                            work, baseline, table));
                }
                switch (workload) {
                    case 5 -> attempt(table, "5", () -> RebuildWorkload.run(kafka, probe, work, keys,
                            memberships[0], table));
                    case 2 -> attempt(table, "2", () -> ScaleWorkload.run(options.scaleKeys(), kafka, redis, probe,
                            work, baseline, table));
                    case 4 -> attempt(table, "4", () -> LatencyWorkload.run(options.latencySeconds(), kafka, redis,
                            probe, work, baseline, table));
                    case 6 -> attempt(table, "6", () -> ShardedWorkload.run(keys, kafka, redis, probe, work, baseline,
                            table));
                    default -> {
                        // 1 and 3 ran together above.
                    }
                }
            }
        }
        table.print();
    }

    /** A failed workload is a row saying why, so one failure does not cost the others' numbers. */
    private static void attempt(ResultTable table, String workload, Workload run) {
        try {
            run.run();
        } catch (Exception e) {
            e.printStackTrace();
            table.failed(workload, e.toString());
        }
    }

    @FunctionalInterface
    private interface Workload {
        void run() throws Exception;
    }

    /**
     * exec:java runs in Maven's JVM, where the JUL log manager was chosen before this code ran, so the
     * JBoss log context that SLF4J writes to is left unconfigured, with every level enabled: the broker would
     * then build its TRACE messages for every request (a tenth of its CPU). Its levels are set here.
     */
    private static void quietBrokerLogging() {
        LogContext context = LogContext.getLogContext();
        context.getLogger("").setLevel(Level.INFO);
        for (String name : List.of("kafka", "org.apache.kafka", "state.change.logger")) {
            context.getLogger(name).setLevel(Level.WARNING);
        }
        if (LoggerFactory.getLogger("kafka.server.ReplicaManager").isDebugEnabled()) {
            throw new IllegalStateException("the broker's loggers are still at DEBUG or finer: the benchmark would "
                    + "measure log formatting");
        }
    }
}
