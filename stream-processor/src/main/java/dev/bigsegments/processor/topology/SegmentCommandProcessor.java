package dev.bigsegments.processor.topology;

import dev.bigsegments.processor.state.MemberBits;
import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.processor.state.WorkItem;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.DeleteSegment;
import dev.bigsegments.schemas.avro.ImportAbort;
import dev.bigsegments.schemas.avro.ImportBegin;
import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.ImportCommit;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MemberOp;
import dev.bigsegments.schemas.avro.MembershipChange;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the commands of the segments on one partition: de-duplicates them, keeps segment and import
 * state, stages import chunks, and emits membership changes. Large work (applying an import, removing
 * an old generation) is queued in the work store and advanced by {@link BackgroundWork}.
 */
final class SegmentCommandProcessor implements Processor<Bytes, SegmentCommand, Bytes, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentCommandProcessor.class);

    private final ProcessorSettings settings;
    private ProcessorContext<Bytes, Object> context;
    private SegmentStores stores;
    private Emitter emitter;
    private MemberUpdater updater;
    private StagedChunks staged;

    SegmentCommandProcessor(ProcessorSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<Bytes, Object> context) {
        this.context = context;
        this.stores = SegmentStores.from(context);
        this.emitter = new Emitter(context);
        this.updater = new MemberUpdater(stores.members(), emitter);
        this.staged = new StagedChunks(stores.staging());
        BackgroundWork work = new BackgroundWork(settings, stores, emitter, updater, context::currentSystemTimeMs);
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, work::run);
    }

    @Override
    public void process(Record<Bytes, SegmentCommand> record) {
        SegmentCommand command = record.value();
        if (command == null || isDuplicate(command.getCommandId())) {
            return;
        }
        SegmentId segment = new SegmentId(command.getEnvironmentId(), command.getSegmentKey());
        Object payload = command.getPayload();
        if (payload instanceof MembershipChange change) {
            applyChange(segment, change);
        } else if (payload instanceof ImportChunk chunk) {
            stageChunk(segment, chunk);
        } else if (payload instanceof ImportBegin begin) {
            beginImport(segment, begin);
        } else if (payload instanceof ImportCommit commit) {
            commitImport(segment, commit);
        } else if (payload instanceof ImportAbort abort) {
            abortImport(segment, abort);
        } else if (payload instanceof CreateSegment create) {
            createSegment(segment, create);
        } else if (payload instanceof DeleteSegment) {
            deleteSegment(segment);
        }
    }

    private boolean isDuplicate(String commandId) {
        long now = context.currentSystemTimeMs();
        long from = now - settings.dedupeRetention().toMillis();
        try (WindowStoreIterator<Long> seen = stores.dedupe().fetch(commandId, from, now)) {
            if (seen.hasNext()) {
                return true;
            }
        }
        stores.dedupe().put(commandId, now, now);
        return false;
    }

    private void createSegment(SegmentId segment, CreateSegment create) {
        SegmentDefinition current = stores.segments().get(key(segment));
        if (current != null && !current.getDeleted()) {
            return;
        }
        int next = current == null ? 1 : current.getGeneration() + 1;
        int generation = create.getGeneration() == null ? next : Math.max(next, create.getGeneration());
        SegmentDefinition definition = SegmentDefinition.newBuilder()
                .setEnvironmentId(segment.environmentId()).setSegmentKey(segment.segmentKey())
                .setName(create.getName()).setContextKind(create.getContextKind()).setGeneration(generation)
                .setDeleted(false).setMembers(0)
                .setPendingCleanups(current == null ? new ArrayList<>() : current.getPendingCleanups())
                .setActiveImportId(null).setUpdatedAt(now()).build();
        saveSegment(definition);
    }

    private void deleteSegment(SegmentId segment) {
        SegmentDefinition current = stores.segments().get(key(segment));
        if (current == null || current.getDeleted()) {
            return;
        }
        if (current.getActiveImportId() != null) {
            stopImport(current.getActiveImportId(), "segment deleted");
        }
        current.setDeleted(true);
        current.setActiveImportId(null);
        List<Integer> cleanups = new ArrayList<>(current.getPendingCleanups());
        cleanups.add(current.getGeneration());
        current.setPendingCleanups(cleanups);
        current.setMembers(0);
        current.setUpdatedAt(now());
        saveSegment(current);
        putWork(new WorkItem(WorkItem.Phase.CLEANUP_GENERATION, segment, null, current.getGeneration(), null));
    }

    private void applyChange(SegmentId segment, MembershipChange change) {
        SegmentDefinition definition = liveSegment(segment);
        if (definition == null) {
            LOG.warn("dropped {} membership changes for {}: no such live segment", change.getChanges().size(), segment);
            return;
        }
        long delta = 0;
        for (MemberChange c : change.getChanges()) {
            byte[] digest = digestOf(c.getHash(), c.getRawKey());
            if (digest == null) {
                continue;
            }
            int result = updater.update(segment, definition.getGeneration(), digest, MemberBits.bit(c.getList()),
                    c.getOp() == MemberOp.ADD);
            delta += MemberUpdater.countDelta(result);
        }
        if (delta != 0) {
            definition.setMembers(definition.getMembers() + delta);
            stores.segments().put(key(segment), definition);
        }
    }

    private void beginImport(SegmentId segment, ImportBegin begin) {
        if (stores.imports().get(begin.getImportId()) != null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        ImportStatus status = ImportStatus.newBuilder().setImportId(begin.getImportId())
                .setEnvironmentId(segment.environmentId()).setSegmentKey(segment.segmentKey())
                .setMode(begin.getMode()).setStatus(ImportState.PREPARING)
                .setCreationTime(Instant.ofEpochMilli(now)).setUpdatedAt(Instant.ofEpochMilli(now))
                .setFileName(begin.getFileName()).setChunksStaged(0).setKeysStaged(0).setDuplicates(0)
                .setToProcess(0).setProcessed(0).setAdded(0).setRemoved(0).build();
        SegmentDefinition definition = liveSegment(segment);
        if (definition == null) {
            status.setStatus(ImportState.STOPPED);
            status.setError("segment " + segment.segmentKey() + " does not exist");
        } else if (definition.getActiveImportId() != null) {
            status.setStatus(ImportState.STOPPED);
            status.setError("another import is running for this segment: " + definition.getActiveImportId());
        } else {
            definition.setActiveImportId(begin.getImportId());
            saveSegment(definition);
            putWork(new WorkItem(WorkItem.Phase.STAGING, segment, begin.getImportId(), definition.getGeneration(), null));
        }
        saveImport(status);
    }

    private void stageChunk(SegmentId segment, ImportChunk chunk) {
        ImportStatus status = stores.imports().get(chunk.getImportId());
        if (status == null || status.getStatus() != ImportState.PREPARING) {
            return;
        }
        int keys = chunk.getHashes().size() + chunk.getRawKeys().size();
        ByteBuffer digests = ByteBuffer.allocate(keys * ContextHashes.DIGEST_BYTES);
        chunk.getHashes().forEach(hash -> digests.put(hash.bytes()));
        chunk.getRawKeys().forEach(raw -> digests.put(ContextHashes.digest(raw)));
        // Keys repeated in the file (or in a chunk sent twice) are found when the import is applied
        // (MemberUpdater.include), and move from keysStaged to duplicates then.
        staged.stage(StateKeys.stagingPrefix(segment, chunk.getImportId()), status.getChunksStaged(), digests.array());
        status.setKeysStaged(status.getKeysStaged() + keys);
        status.setChunksStaged(status.getChunksStaged() + 1);
        status.setUpdatedAt(now());
        saveImport(status);
    }

    private void commitImport(SegmentId segment, ImportCommit commit) {
        ImportStatus status = stores.imports().get(commit.getImportId());
        if (status == null || status.getStatus() != ImportState.PREPARING) {
            return;
        }
        SegmentDefinition definition = stores.segments().get(key(segment));
        boolean replace = status.getMode() == dev.bigsegments.schemas.avro.ImportMode.REPLACE;
        status.setIngest(commit.getStats());
        status.setStatus(ImportState.IN_PROGRESS);
        status.setToProcess(status.getKeysStaged() + (replace ? definition.getMembers() : 0));
        // Refined when the removal pass starts; an estimate until then.
        status.setUpdatedAt(now());
        saveImport(status);
        int generation = definition.getGeneration();
        putWork(new WorkItem(WorkItem.Phase.APPLY_ADDS, segment, commit.getImportId(), generation, null,
                updater.nextEpoch(segment, generation)));
    }

    private void abortImport(SegmentId segment, ImportAbort abort) {
        ImportStatus status = stores.imports().get(abort.getImportId());
        if (status == null || status.getStatus() != ImportState.PREPARING) {
            return;
        }
        if (abort.getStats() != null) {
            status.setIngest(abort.getStats());
        }
        stopImport(status, abort.getReason());
        SegmentDefinition definition = stores.segments().get(key(segment));
        if (definition != null && abort.getImportId().equals(definition.getActiveImportId())) {
            definition.setActiveImportId(null);
            saveSegment(definition);
        }
    }

    /** Marks a staging import stopped and queues its staging area for deletion. */
    private void stopImport(String importId, String reason) {
        ImportStatus status = stores.imports().get(importId);
        if (status != null && status.getStatus() == ImportState.PREPARING) {
            stopImport(status, reason);
        }
    }

    private void stopImport(ImportStatus status, String reason) {
        String importId = status.getImportId();
        status.setStatus(ImportState.STOPPED);
        status.setError(reason);
        status.setUpdatedAt(now());
        saveImport(status);
        SegmentId segment = new SegmentId(status.getEnvironmentId(), status.getSegmentKey());
        putWork(new WorkItem(WorkItem.Phase.DROP_STAGING, segment, importId, 0, null));
    }

    private SegmentDefinition liveSegment(SegmentId segment) {
        SegmentDefinition definition = stores.segments().get(key(segment));
        return definition == null || definition.getDeleted() ? null : definition;
    }

    private void saveSegment(SegmentDefinition definition) {
        stores.segments().put(key(new SegmentId(definition.getEnvironmentId(), definition.getSegmentKey())), definition);
        emitter.segment(definition);
    }

    private void saveImport(ImportStatus status) {
        stores.imports().put(status.getImportId(), status);
        emitter.importStatus(status);
    }

    private void putWork(WorkItem item) {
        stores.work().put(item.id(), item.toBytes());
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }

    private static Bytes key(SegmentId segment) {
        return Bytes.wrap(segment.toBytes());
    }

    private static byte[] digestOf(ContextHash hash, String rawKey) {
        if (hash != null) {
            return hash.bytes();
        }
        return rawKey == null ? null : ContextHashes.digest(rawKey);
    }
}
