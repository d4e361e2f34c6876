package dev.bigsegments.store.writer;

import dev.bigsegments.schemas.Shards;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.kafka.CompactedTopicView;
import dev.bigsegments.schemas.kafka.Offsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides which environments a store is current for, and as of when: the condition for stamping
 * {@code synchronizedOn}. A check starts at a moment T by noting where the commands topic ends. It completes
 * once, in this order, (1) the stream processor has committed past those ends, so every command sent before
 * T is processed and its output committed (with shards, past the ends the shard topic had then too: the
 * router's output for those commands); (2) the import and segment views have caught up, naming the
 * environments with an import or a generation clean-up pending; (3) this writer's group has committed past
 * the ends the membership topic had after (2). Every environment without pending work is then current as of
 * T. The order matters: an import reported complete in (2) had committed its last changes before the ends of
 * (3) were read.
 *
 * <p>Each environment is judged by its own pending work. Another environment's import or burst of changes
 * delays a check only by the time the pipeline takes to pass what was already in the topics at T, never until
 * that work is done: a check does not need the pipeline idle, only past a point.
 */
public final class PipelineStatus implements AutoCloseable {
    private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final TopicNames topics;
    private final String processorGroup;
    private final String writerGroup;
    private final CompactedTopicView<ImportStatus> imports;
    private final CompactedTopicView<SegmentDefinition> segments;
    private Check check;

    /** Environments current as of {@code asOf} (Unix ms). */
    public record Current(long asOf, Set<String> environments) {
    }

    /**
     * A check under way; {@code shardEnds} is null until the processor has passed {@code commandEnds}, and
     * {@code membershipEnds} until it has passed {@code shardEnds} (empty without a shard topic).
     */
    private record Check(long startedAt, Map<TopicPartition, Long> commandEnds, Map<TopicPartition, Long> shardEnds,
            Set<String> pending, Map<TopicPartition, Long> membershipEnds) {
    }

    public PipelineStatus(Admin admin, TopicNames topics, String processorGroup, String writerGroup,
            CompactedTopicView<ImportStatus> imports, CompactedTopicView<SegmentDefinition> segments) {
        this.admin = admin;
        this.topics = topics;
        this.processorGroup = processorGroup;
        this.writerGroup = writerGroup;
        this.imports = imports;
        this.segments = segments;
    }

    /**
     * Starts a check at {@code now} if none is under way, and takes it as far as it goes without waiting.
     *
     * @return the environments among {@code candidates} that are current, once a check completes
     * @throws IllegalStateException when Kafka cannot be asked (the check stays where it was)
     */
    public Optional<Current> advance(Collection<String> candidates, long now) throws InterruptedException {
        if (check == null) {
            check = new Check(now, Offsets.committedEnds(admin, Offsets.partitions(admin, topics.commands())), null,
                    null, null);
        }
        if (check.membershipEnds() == null) {
            if (check.shardEnds() == null) {
                if (!Offsets.groupReached(admin, processorGroup, check.commandEnds())) {
                    return Optional.empty();
                }
                check = new Check(check.startedAt(), check.commandEnds(), shardEnds(), null, null);
            }
            if (!check.shardEnds().isEmpty() && !Offsets.groupReached(admin, processorGroup, check.shardEnds())) {
                return Optional.empty();
            }
            Set<String> pending;
            try {
                pending = pendingEnvironments();
            } catch (TimeoutException e) {
                return Optional.empty();
            }
            check = new Check(check.startedAt(), check.commandEnds(), check.shardEnds(), pending,
                    Offsets.committedEnds(admin, Offsets.partitions(admin, topics.membership())));
        }
        if (!Offsets.groupReached(admin, writerGroup, check.membershipEnds())) {
            return Optional.empty();
        }
        Set<String> current = new HashSet<>(candidates);
        current.removeAll(check.pending());
        Current result = new Current(check.startedAt(), current);
        check = null;
        return Optional.of(result);
    }

    /** Where the shard topic ends now, when the processor has shards (empty when it has none). */
    private Map<TopicPartition, Long> shardEnds() throws InterruptedException {
        String shardTopic = Shards.topic(topics);
        Set<String> names;
        try {
            names = admin.listTopics().names().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e.getCause());
        }
        return names.contains(shardTopic) ? Offsets.committedEnds(admin, Offsets.partitions(admin, shardTopic)) : Map.of();
    }

    /** Whether a check is under way (it is then worth advancing soon). */
    public boolean checking() {
        return check != null;
    }

    private Set<String> pendingEnvironments() throws TimeoutException, InterruptedException {
        imports.awaitCaughtUp(VIEW_TIMEOUT);
        segments.awaitCaughtUp(VIEW_TIMEOUT);
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
