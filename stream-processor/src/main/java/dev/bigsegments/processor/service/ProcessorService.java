package dev.bigsegments.processor.service;

import dev.bigsegments.processor.StreamProcessor;
import dev.bigsegments.processor.topology.DeadLetterCounts;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.bigsegments.support.PipelineConfig;
import dev.bigsegments.support.TopicBootstrap;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;

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

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        TopicBootstrap.prepare(pipeline);
        DeadLetterCounts.listen((topic, reason) -> FunctionCounter.builder("bigsegments.processor.dead.letters",
                reason, r -> DeadLetterCounts.count(topic, r)).tag("topic", topic).tag("reason", reason.tag())
                .description("Records set aside on the dead-letter topic").register(registry));
        processor = StreamProcessor.start(new StreamProcessor.Options(pipeline.kafka().bootstrapServers(),
                config.applicationId(), config.stateDir(), config.threads(), config.standbyReplicas(),
                pipeline.topicNames(), config.settings(), pipeline.serdeConfig(), pipeline.kafka().properties()));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (processor != null) {
            processor.close();
        }
    }

    public Optional<StreamProcessor> processor() {
        return Optional.ofNullable(processor);
    }
}
