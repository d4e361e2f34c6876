package dev.bigsegments.writer;

import dev.bigsegments.writer.store.SetOp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The writer's meters: batch sizes, applied operations, write latency, retries, synchronizedOn age per environment. */
final class WriterMetrics {
    private final Counter added;
    private final Counter removed;
    private final Counter records;
    private final Counter retries;
    private final DistributionSummary batchOps;
    private final Timer writeLatency;

    WriterMetrics(MeterRegistry registry, String store, Map<String, Long> lastStamp, Iterable<String> environments) {
        this.added = registry.counter("bigsegments.writer.operations", "store", store, "op", "add");
        this.removed = registry.counter("bigsegments.writer.operations", "store", store, "op", "remove");
        this.records = registry.counter("bigsegments.writer.records", "store", store);
        this.retries = registry.counter("bigsegments.writer.retries", "store", store);
        this.batchOps = DistributionSummary.builder("bigsegments.writer.batch.operations").tag("store", store)
                .register(registry);
        this.writeLatency = Timer.builder("bigsegments.writer.write.latency").tag("store", store).register(registry);
        for (String environment : environments) {
            Gauge.builder("bigsegments.writer.synchronized.age.seconds", lastStamp, s -> ageSeconds(s.get(environment)))
                    .tag("store", store).tag("environment", environment).register(registry);
        }
    }

    void applied(int recordCount, List<SetOp> ops, long nanos) {
        long adds = ops.stream().filter(SetOp::add).count();
        added.increment(adds);
        removed.increment(ops.size() - adds);
        records.increment(recordCount);
        batchOps.record(ops.size());
        writeLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void retried() {
        retries.increment();
    }

    /** Seconds since this writer last stamped the environment; NaN before the first stamp. */
    private static double ageSeconds(Long stampedAt) {
        return stampedAt == null ? Double.NaN : (System.currentTimeMillis() - stampedAt) / 1000.0;
    }
}
