package dev.bigsegments.ingest.publish;

import dev.bigsegments.ingest.IngestMetrics;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.kafka.CompactedTopicView;
import dev.bigsegments.schemas.serde.AvroSerde;
import dev.bigsegments.support.PipelineConfig;
import dev.bigsegments.support.TopicBootstrap;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The ingest service's connection to the pipeline: the command publisher, and views of the segment
 * definitions and import status that the stream processor publishes.
 */
@ApplicationScoped
public class PipelineClient {
    private static final Duration POLL = Duration.ofMillis(20);

    @Inject
    PipelineConfig config;

    @Inject
    IngestMetrics metrics;

    private CommandPublisher publisher;
    private CompactedTopicView<SegmentDefinition> segments;
    private CompactedTopicView<ImportStatus> imports;

    void onStart(@Observes StartupEvent event) {
        TopicBootstrap.prepare(config);
        publisher = new CommandPublisher(config.clientConfig(), config.serdeConfig(), config.topics().commands(),
                metrics::published);
        segments = new CompactedTopicView<>(config.topics().segments(), config.clientConfig(),
                AvroSerde.of(SegmentDefinition.class, config.serdeConfig()).deserializer());
        imports = new CompactedTopicView<>(config.topics().imports(), config.clientConfig(),
                AvroSerde.of(ImportStatus.class, config.serdeConfig()).deserializer());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (publisher != null) {
            publisher.close();
            segments.close();
            imports.close();
        }
    }

    public CommandPublisher publisher() {
        return publisher;
    }

    public Optional<SegmentDefinition> segment(SegmentId id) {
        return Optional.ofNullable(segments.get(id.toBytes()));
    }

    public Optional<ImportStatus> importStatus(String importId) {
        return Optional.ofNullable(imports.get(importId.getBytes(StandardCharsets.UTF_8)));
    }

    public Iterable<ImportStatus> imports() {
        return imports.values();
    }

    /** Every segment definition the processor published (deleted ones included). */
    public Iterable<SegmentDefinition> segments() {
        return segments.values();
    }

    /** Read-your-writes for the segment view. */
    public void syncSegments(Duration timeout) throws InterruptedException {
        try {
            segments.awaitCaughtUp(timeout);
        } catch (TimeoutException e) {
            // answer from what is known
        }
    }

    /** Waits until the segment's definition satisfies the condition (the processor has applied a command). */
    public Optional<SegmentDefinition> awaitSegment(SegmentId id, Predicate<SegmentDefinition> condition,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            SegmentDefinition d = segments.get(id.toBytes());
            if (d != null && condition.test(d)) {
                return Optional.of(d);
            }
            Thread.sleep(POLL.toMillis());
        }
        return Optional.empty();
    }

    /**
     * Creates the segment (or the next generation of a deleted one) and waits until the processor has
     * applied it; a live segment is returned as it is. Empty when not confirmed within the timeout.
     */
    public Optional<SegmentDefinition> createSegment(SegmentId id, CreateSegment create, Duration timeout)
            throws InterruptedException {
        SegmentDefinition existing = segments.get(id.toBytes());
        if (existing != null && !existing.getDeleted()) {
            return Optional.of(existing);
        }
        int previous = existing == null ? 0 : existing.getGeneration();
        publisher.sendAndWait(CommandPublisher.command(id, null, create));
        return awaitSegment(id, d -> !d.getDeleted() && d.getGeneration() > previous, timeout);
    }

    /** Read-your-writes for the import view. */
    public void syncImports(Duration timeout) throws InterruptedException {
        try {
            imports.awaitCaughtUp(timeout);
        } catch (TimeoutException e) {
            // answer from what is known
        }
    }
}
