package dev.bigsegments.writer;

import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.kafka.CompactedTopicView;
import dev.bigsegments.schemas.kafka.Offsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * Decides which environments are caught up, the condition for stamping {@code synchronizedOn}: the
 * stream processor has no lag on the commands, no import or generation clean-up is pending for the
 * environment, and this writer's group has no lag on the membership topic. The three are checked in
 * that order, so every change the processor had committed when the check began is already in the store.
 */
public final class PipelineStatus implements AutoCloseable {
    private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final TopicNames topics;
    private final String processorGroup;
    private final String writerGroup;
    private final CompactedTopicView<ImportStatus> imports;
    private final CompactedTopicView<SegmentDefinition> segments;

    public PipelineStatus(Admin admin, TopicNames topics, String processorGroup, String writerGroup,
            CompactedTopicView<ImportStatus> imports, CompactedTopicView<SegmentDefinition> segments) {
        this.admin = admin;
        this.topics = topics;
        this.processorGroup = processorGroup;
        this.writerGroup = writerGroup;
        this.imports = imports;
        this.segments = segments;
    }

    /** The environments among {@code candidates} whose store holds everything the pipeline knows. */
    public Set<String> caughtUp(Collection<String> candidates) throws InterruptedException {
        if (Offsets.groupLag(admin, processorGroup, topics.commands()) > 0) {
            return Set.of();
        }
        try {
            imports.awaitCaughtUp(VIEW_TIMEOUT);
            segments.awaitCaughtUp(VIEW_TIMEOUT);
        } catch (TimeoutException e) {
            return Set.of();
        }
        Set<String> ready = new HashSet<>(candidates);
        ready.removeAll(pendingEnvironments());
        if (ready.isEmpty() || Offsets.groupLag(admin, writerGroup, topics.membership()) > 0) {
            return Set.of();
        }
        return ready;
    }

    private Set<String> pendingEnvironments() {
        Set<String> pending = new HashSet<>();
        for (ImportStatus status : imports.values()) {
            if (status.getStatus() == ImportState.PREPARING || status.getStatus() == ImportState.IN_PROGRESS) {
                pending.add(status.getEnvironmentId());
            }
        }
        for (SegmentDefinition segment : segments.values()) {
            if (!segment.getPendingCleanups().isEmpty()) {
                pending.add(segment.getEnvironmentId());
            }
        }
        return pending;
    }

    @Override
    public void close() {
        imports.close();
        segments.close();
    }
}
