package dev.bigsegments.processor.service;

import dev.bigsegments.processor.StreamProcessor;
import dev.bigsegments.processor.query.SegmentQueries;
import dev.bigsegments.processor.topology.AppliedKeys;
import dev.bigsegments.processor.topology.DeadLetterCounts;
import dev.bigsegments.support.PipelineConfig;
import dev.bigsegments.support.TopicBootstrap;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/** Starts and stops the stream processor with the application. */
@ApplicationScoped
public class ProcessorService {
    @Inject
    PipelineConfig pipeline;

    @Inject
    ProcessorConfig config;

    @Inject
    MeterRegistry registry;

    private volatile StreamProcessor processor;
    private volatile SegmentQueries queries;

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        TopicBootstrap.prepare(pipeline);
        DeadLetterCounts.listen((topic, reason) -> FunctionCounter.builder("bigsegments.processor.dead.letters",
                reason, r -> DeadLetterCounts.count(topic, r)).tag("topic", topic).tag("reason", reason.tag())
                .description("Records set aside on the dead-letter topic").register(registry));
        FunctionCounter.builder("bigsegments.processor.import.keys.applied", AppliedKeys.class, k -> AppliedKeys.total())
                .description("Listed keys of imports this processor applied (with shards: its part of each import)")
                .register(registry);
        Map<String, String> overrides = new HashMap<>(pipeline.kafka().properties());
        config.advertisedAddress().ifPresent(a -> overrides.put(StreamsConfig.APPLICATION_SERVER_CONFIG, a));
        processor = StreamProcessor.start(new StreamProcessor.Options(pipeline.kafka().bootstrapServers(),
                config.applicationId(), config.stateDir(), config.threads(), config.standbyReplicas(),
                pipeline.topicNames(), config.settings(), pipeline.serdeConfig(), overrides));
        queries = new SegmentQueries(processor.streams(), config.advertisedAddress().map(HostInfo::buildFromEndpoint),
                processor.shards().orElse(null));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (processor != null) {
            processor.close();
        }
    }

    public Optional<StreamProcessor> processor() {
        return Optional.ofNullable(processor);
    }

    /** Questions answered from this processor's state; empty when it does not run here. */
    public Optional<SegmentQueries> queries() {
        return Optional.ofNullable(queries);
    }
}
