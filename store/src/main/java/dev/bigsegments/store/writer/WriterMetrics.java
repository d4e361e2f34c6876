package dev.bigsegments.store.writer;

import dev.bigsegments.schemas.DeadLetters;
import dev.bigsegments.store.SetOp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The writer's meters: batch sizes, applied operations, write latency, retries, outages, losses, refills,
 * dead letters and synchronizedOn age per environment. Tags are the store and at most the environment,
 * never a segment or a context.
 */
final class WriterMetrics {
    private final MeterRegistry registry;
    private final String store;
    private final Counter added;
    private final Counter removed;
    private final Counter records;
    private final Counter refilled;
    private final Counter retries;
    private final DistributionSummary batchOps;
    private final Timer writeLatency;

    WriterMetrics(MeterRegistry registry, String store, Map<String, Long> lastStamp, Iterable<String> environments,
            Supplier<Outage> outage) {
        this.registry = registry;
        this.store = store;
        this.added = registry.counter("bigsegments.writer.operations", "store", store, "op", "add");
        this.removed = registry.counter("bigsegments.writer.operations", "store", store, "op", "remove");
        this.records = registry.counter("bigsegments.writer.records", "store", store);
        this.refilled = registry.counter("bigsegments.writer.refilled.records", "store", store);
        this.retries = registry.counter("bigsegments.writer.retries", "store", store);
        this.batchOps = DistributionSummary.builder("bigsegments.writer.batch.operations").tag("store", store)
                .register(registry);
        this.writeLatency = Timer.builder("bigsegments.writer.write.latency").tag("store", store).register(registry);
        Gauge.builder("bigsegments.writer.outage.seconds", outage, o -> o.get() == null ? 0
                : o.get().duration().toMillis() / 1000.0).tag("store", store)
                .description("How long the current outage has lasted; 0 when there is none").register(registry);
        for (String environment : environments) {
            Gauge.builder("bigsegments.writer.synchronized.age.seconds", lastStamp, s -> ageSeconds(s.get(environment)))
                    .tag("store", store).tag("environment", environment).register(registry);
        }
    }

    void applied(int recordCount, int refillCount, List<SetOp> ops, long nanos) {
        long adds = ops.stream().filter(SetOp::add).count();
        added.increment(adds);
        removed.increment(ops.size() - adds);
        records.increment(recordCount);
        refilled.increment(refillCount);
        batchOps.record(ops.size());
        writeLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void retried() {
        retries.increment();
    }

    void outageBegan(Outage.Cause cause) {
        registry.counter("bigsegments.writer.outages", "store", store, "cause", cause.tag()).increment();
    }

    void lossDetected(String environment) {
        registry.counter("bigsegments.writer.store.losses", "store", store, "environment", environment).increment();
    }

    void deadLetter(DeadLetters.Reason reason) {
        registry.counter("bigsegments.writer.dead.letters", "store", store, "reason", reason.tag()).increment();
    }

    /** Seconds since this writer last stamped the environment; NaN before the first stamp. */
    private static double ageSeconds(Long stampedAt) {
        return stampedAt == null ? Double.NaN : (System.currentTimeMillis() - stampedAt) / 1000.0;
    }
}
