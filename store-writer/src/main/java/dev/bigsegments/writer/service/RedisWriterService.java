package dev.bigsegments.writer.service;

import dev.bigsegments.schemas.Backoff;
import dev.bigsegments.store.redis.RedisLayout;
import dev.bigsegments.store.redis.RedisMembershipStore;
import dev.bigsegments.store.writer.StatusReporter;
import dev.bigsegments.store.writer.WriterOptions;
import dev.bigsegments.store.writer.WriterRuntime;
import dev.bigsegments.support.PipelineConfig;
import dev.bigsegments.support.TopicBootstrap;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Runs the Redis store writer with the application. */
@ApplicationScoped
public class RedisWriterService implements WriterTarget {
    @Inject
    PipelineConfig pipeline;

    @Inject
    WriterConfig config;

    @Inject
    MeterRegistry registry;

    private volatile RedisMembershipStore store;
    private volatile WriterRuntime runtime;
    private volatile StatusReporter reporter;

    void onStart(@Observes StartupEvent event) {
        if (!config.redis().enabled()) {
            return;
        }
        String uri = config.redis().uri().orElseThrow(() -> new IllegalStateException(
                "bigsegments.writer.redis.uri (BIGSEGMENTS_WRITER_REDIS_URI) is required when the Redis writer is enabled"));
        TopicBootstrap.prepare(pipeline);
        Map<String, String> prefixes = new HashMap<>();
        pipeline.environments().values().forEach(e -> prefixes.put(e.id(), e.storePrefix().orElse("")));
        SharedTargets.refuse(pipeline, (name, e) -> "Redis key prefix '"
                + RedisLayout.forPrefix(e.storePrefix().orElse("")).prefix() + "'");
        store = RedisMembershipStore.builder().uri(uri).prefixes(prefixes).build();
        WriterOptions options = options(config.redis().groupId());
        runtime = WriterRuntime.start(options, store, registry);
        reporter = StatusReporter.start(options, "redis", config.statusInterval(), runtime, store);
    }

    WriterOptions options(String groupId) {
        Set<String> environments = pipeline.environments().values().stream()
                .map(PipelineConfig.EnvironmentConfig::id).collect(Collectors.toSet());
        return WriterOptions.builder(pipeline.kafka().bootstrapServers(), environments, pipeline.serdeConfig())
                .groupId(groupId).processorApplicationId(config.processorApplicationId())
                .topics(pipeline.topicNames()).maxPollRecords(config.maxPollRecords())
                .stampInterval(config.stampInterval())
                .backoff(Backoff.unlimited(Backoff.DEFAULT_BASE, config.retryBackoffMax()))
                .replayAfterOutage(config.replayAfterOutage())
                .rebuildOnLoss(config.rebuildOnLoss()).source("store-writer")
                .kafkaOverrides(pipeline.kafka().properties()).build();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (reporter != null) {
            reporter.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (store != null) {
            store.close();
        }
    }

    public Optional<WriterRuntime> runtime() {
        return Optional.ofNullable(runtime);
    }

    public Optional<RedisMembershipStore> store() {
        return Optional.ofNullable(store);
    }
}
