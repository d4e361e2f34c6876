package dev.bigsegments.processor.topology;

import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.ShardMessage;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.serde.TrustedAvroClasses;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Shard 0 of a segment keeps the last import status and segment definition each shard reported, and publishes
 * what they are together: an import is complete when every shard has completed it, stopped when any shard
 * stopped it (with that shard's reason), and its counts are the shards' sums; a segment's members are the sum
 * of its shards', and it is busy with an import until no shard is.
 */
final class ShardReports {
    /** How a shard's error begins when another shard's refusal stopped the import there. */
    static final String BY_ANOTHER_SHARD = "stopped because shard ";

    static {
        // The sums start from copies made by Avro's builders, which look the records' enum classes up.
        TrustedAvroClasses.trust(ImportStatus.class);
        TrustedAvroClasses.trust(SegmentDefinition.class);
    }

    private final KeyValueStore<String, byte[]> reports;
    private final ShardLayout layout;
    private final Emitter emitter;

    ShardReports(KeyValueStore<String, byte[]> reports, ShardLayout layout, Emitter emitter) {
        this.reports = reports;
        this.layout = layout;
        this.emitter = emitter;
    }

    void onImport(int from, ImportStatus status) {
        reports.put(importKey(status.getImportId(), from), ShardMessage.STATUSES.serializer().serialize(null, status));
        List<ImportStatus> shards = new ArrayList<>(layout.shards());
        for (int shard = 0; shard < layout.shards(); shard++) {
            byte[] stored = reports.get(importKey(status.getImportId(), shard));
            shards.add(stored == null ? null : ShardMessage.STATUSES.deserializer().deserialize(null, stored));
        }
        emitter.publishImportStatus(sum(status, shards));
    }

    void onSegment(int from, SegmentDefinition definition) {
        SegmentId segment = new SegmentId(definition.getEnvironmentId(), definition.getSegmentKey());
        reports.put(segmentKey(segment, from), ShardMessage.DEFINITIONS.serializer().serialize(null, definition));
        List<SegmentDefinition> shards = new ArrayList<>(layout.shards());
        for (int shard = 0; shard < layout.shards(); shard++) {
            byte[] stored = reports.get(segmentKey(segment, shard));
            shards.add(stored == null ? null : ShardMessage.DEFINITIONS.deserializer().deserialize(null, stored));
        }
        emitter.publishSegment(sum(definition, shards));
    }

    /** @param shards each shard's last status, null for a shard that has reported none */
    static ImportStatus sum(ImportStatus latest, List<ImportStatus> shards) {
        ImportStatus total = ImportStatus.newBuilder(latest).setChunksStaged(0).setKeysStaged(0).setDuplicates(0)
                .setToProcess(0).setProcessed(0).setAdded(0).setRemoved(0).setError(null).build();
        boolean allComplete = true;
        boolean applying = false;
        for (int shard = 0; shard < shards.size(); shard++) {
            ImportStatus s = shards.get(shard);
            if (s == null) {
                allComplete = false;
                continue;
            }
            total.setChunksStaged(Math.max(total.getChunksStaged(), s.getChunksStaged()));
            total.setKeysStaged(total.getKeysStaged() + s.getKeysStaged());
            total.setDuplicates(total.getDuplicates() + s.getDuplicates());
            total.setToProcess(total.getToProcess() + s.getToProcess());
            total.setProcessed(total.getProcessed() + s.getProcessed());
            total.setAdded(total.getAdded() + s.getAdded());
            total.setRemoved(total.getRemoved() + s.getRemoved());
            if (s.getIngest() != null) {
                total.setIngest(s.getIngest());
            }
            if (s.getUpdatedAt().isAfter(total.getUpdatedAt())) {
                total.setUpdatedAt(s.getUpdatedAt());
            }
            if (s.getStatus() == ImportState.STOPPED && (total.getError() == null
                    || total.getError().startsWith(BY_ANOTHER_SHARD) && !s.getError().startsWith(BY_ANOTHER_SHARD))) {
                // The reason of the shard that stopped it first-hand, rather than of one that stopped it on its word.
                total.setError(s.getError().startsWith(BY_ANOTHER_SHARD) ? s.getError()
                        : "shard " + shard + " of " + shards.size() + ": " + s.getError());
            }
            allComplete &= s.getStatus() == ImportState.COMPLETE;
            applying |= s.getStatus() == ImportState.IN_PROGRESS || s.getStatus() == ImportState.COMPLETE;
        }
        if (total.getError() != null) {
            total.setStatus(ImportState.STOPPED);
        } else if (allComplete) {
            total.setStatus(ImportState.COMPLETE);
        } else {
            total.setStatus(applying ? ImportState.IN_PROGRESS : ImportState.PREPARING);
        }
        return total;
    }

    /** @param shards each shard's last definition, null for a shard that has reported none */
    static SegmentDefinition sum(SegmentDefinition latest, List<SegmentDefinition> shards) {
        SegmentDefinition first = shards.get(0) != null ? shards.get(0) : latest;
        SegmentDefinition total = SegmentDefinition.newBuilder(first).setMembers(0).setActiveImportId(null).build();
        TreeSet<Integer> cleanups = new TreeSet<>();
        Instant updated = first.getUpdatedAt();
        for (SegmentDefinition s : shards) {
            if (s == null || s.getGeneration() != first.getGeneration()) {
                continue;
            }
            total.setMembers(total.getMembers() + s.getMembers());
            if (total.getActiveImportId() == null) {
                total.setActiveImportId(s.getActiveImportId());
            }
            cleanups.addAll(s.getPendingCleanups());
            updated = s.getUpdatedAt().isAfter(updated) ? s.getUpdatedAt() : updated;
        }
        total.setPendingCleanups(new ArrayList<>(cleanups));
        total.setUpdatedAt(updated);
        return total;
    }

    private static String importKey(String importId, int shard) {
        return "import\0" + importId + "\0" + shard;
    }

    private static String segmentKey(SegmentId segment, int shard) {
        return "segment\0" + segment.environmentId() + "\0" + segment.segmentKey() + "\0" + shard;
    }
}
