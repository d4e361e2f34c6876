package dev.bigsegments.ingest.status;

import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.status.StatusViews.PipelineStatus;
import dev.bigsegments.support.PipelineConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline status as Prometheus gauges ({@code bigsegments_pipeline_*}), refreshed every
 * {@code bigsegments.ingest.status.refresh-interval}. Labelled by environment, store and consumer group, or
 * dead-letter source and reason: never by segment or context, so the number of series stays bounded.
 */
@ApplicationScoped
public class StatusMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(StatusMetrics.class);

    @Inject
    StatusMonitor monitor;

    @Inject
    PipelineConfig pipeline;

    @Inject
    IngestConfig config;

    @Inject
    MeterRegistry registry;

    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pipeline-status-metrics");
        t.setDaemon(true);
        return t;
    });

    void onStart(@Observes StartupEvent event) {
        long every = config.status().refreshInterval().toMillis();
        timer.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }

    void refresh() {
        try {
            PipelineStatus status = monitor.status(pipeline.environments().keySet(), false);
            set("bigsegments.pipeline.processor.lag", Tags.empty(), status.processor().lag());
            status.stores().forEach(s -> {
                Tags tags = Tags.of("store", s.store(), "group", s.groupId());
                set("bigsegments.pipeline.store.lag", tags, s.lag());
                set("bigsegments.pipeline.store.ready", tags, s.ready() ? 1.0 : 0.0);
                set("bigsegments.pipeline.store.reachable", tags, s.reachable() && s.reporting() ? 1.0 : 0.0);
            });
            status.environments().forEach(e -> {
                set("bigsegments.pipeline.imports.running", Tags.of("environment", e.name()),
                        (double) e.runningImports().size());
                e.stores().forEach(f -> set("bigsegments.pipeline.synchronized.age.seconds",
                        Tags.of("environment", e.name(), "store", f.store(), "group", f.groupId()), f.ageSeconds()));
            });
            status.deadLetters().bySource().forEach((source, reasons) -> reasons.forEach((reason, n) ->
                    set("bigsegments.pipeline.dead.letters", Tags.of("source", source, "reason", reason), n)));
        } catch (RuntimeException e) {
            LOG.warn("the pipeline status metrics were not refreshed: {}", e.getMessage());
        }
    }

    /** Sets a gauge's value (NaN when unknown), registering the gauge the first time its labels are seen. */
    private void set(String name, Tags tags, Number value) {
        String id = name + tags;
        values.put(id, value == null ? Double.NaN : value.doubleValue());
        if (registered.add(id)) {
            ToDoubleFunction<Map<String, Double>> read = v -> v.getOrDefault(id, Double.NaN);
            Gauge.builder(name, values, read).tags(tags).register(registry);
        }
    }
}
