package dev.bigsegments.processor.topology;

import dev.bigsegments.processor.state.MemberBits;
import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.processor.state.WorkItem;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.DeadLetters;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.ShardMessage;
import dev.bigsegments.schemas.Shards;
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
import dev.bigsegments.schemas.serde.SchemaRegistryUnavailableException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the commands of the segments on one partition: admits them ({@link CommandDoor}), de-duplicates
 * them, keeps segment and import state, stages import chunks, and emits membership changes. Large work
 * (applying an import, removing an old generation) is queued in the work store and advanced by
 * {@link BackgroundWork}. A record refused at the door, or whose processing throws, is set aside as a dead
 * letter and the partition goes on.
 */
final class SegmentCommandProcessor implements Processor<Bytes, byte[], Bytes, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentCommandProcessor.class);

    private final ProcessorSettings settings;
    private final CommandDoor door;
    /** With more than one shard, how they are laid out; null otherwise. */
    private final ShardLayout layout;
    private ShardReports reports;
    /** With shards: per import, the shards that said they can apply its commit (a bit set). */
    private KeyValueStore<String, byte[]> votes;
    private ProcessorContext<Bytes, Object> context;
    private SegmentStores stores;
    private Emitter emitter;
    private MemberUpdater updater;
    private StagedChunks staged;
    private BackgroundWork work;

    SegmentCommandProcessor(ProcessorSettings settings, CommandDoor door) {
        this(settings, door, null);
    }

    /**
     * @param door admits the commands of the commands topic; null with shards, whose commands the router admitted
     * @param layout the shards, or null: with shards, the records are {@link ShardMessage}s of the shard topic
     */
    SegmentCommandProcessor(ProcessorSettings settings, CommandDoor door, ShardLayout layout) {
        this.settings = settings;
        this.door = door;
        this.layout = layout;
    }

    @Override
    public void init(ProcessorContext<Bytes, Object> context) {
        this.context = context;
        this.stores = SegmentStores.from(context);
        this.emitter = new Emitter(context, layout);
        if (layout != null) {
            this.reports = new ShardReports(context.getStateStore(SegmentTopology.SHARD_REPORTS_STORE), layout, emitter);
            this.votes = context.getStateStore(SegmentTopology.SHARD_VOTES_STORE);
        }
        this.updater = new MemberUpdater(stores.members(), emitter,
                new ListCounts(stores.members(), context::currentSystemTimeMs));
        this.staged = new StagedChunks(stores.staging());
        this.work = new BackgroundWork(settings, stores, emitter, updater, context::currentSystemTimeMs);
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, work::run);
    }

    @Override
    public void process(Record<Bytes, byte[]> record) {
        if (layout != null) {
            processShardMessage(record);
            return;
        }
        SegmentCommand command = door.admitOrSetAside(context.recordMetadata().map(m -> m.topic()).orElse(""), record,
                emitter);
        if (command == null) {
            return;
        }
        apply(record, command);
    }

    private void apply(Record<Bytes, byte[]> record, SegmentCommand command) {
        try {
            handle(command);
        } catch (RuntimeException e) {
            if (causedBy(e, SchemaRegistryUnavailableException.class)) {
                throw e;
            }
            LOG.error("{} set aside as a dead letter: processing it failed", where(), e);
            emitter.deadLetter(record, DeadLetters.Reason.PROCESSING_FAILED, e);
            stopImportOf(command, e);
        } finally {
            // What the command changed in the members store stays even when it failed halfway: so do its counts.
            updater.counts().flush();
        }
    }

    /** With shards: a command for this shard, another shard's vote, or a shard's report (here at shard 0). */
    private void processShardMessage(Record<Bytes, byte[]> record) {
        SegmentId segment;
        ShardMessage message;
        try {
            segment = Shards.segmentOf(record.key().get());
            message = ShardMessage.fromBytes(record.value());
        } catch (RuntimeException e) {
            LOG.warn("{} set aside as a dead letter: not a shard message ({})", where(), e.getMessage());
            emitter.deadLetter(record, DeadLetters.Reason.UNDECODABLE, e);
            return;
        }
        if (message instanceof ShardMessage.Command c) {
            apply(record, c.command());
            return;
        }
        try {
            if (message instanceof ShardMessage.Vote v) {
                onVote(segment, v);
            } else if (message instanceof ShardMessage.ImportReport r) {
                reports.onImport(r.from(), r.status());
            } else if (message instanceof ShardMessage.SegmentReport r) {
                reports.onSegment(r.from(), r.definition());
            }
        } catch (RuntimeException e) {
            LOG.error("{} set aside as a dead letter: processing it failed", where(), e);
            emitter.deadLetter(record, DeadLetters.Reason.PROCESSING_FAILED, e);
        }
    }

    /**
     * A shard's vote on an import's commit. One shard that cannot apply it stops the import in every shard; when
     * every shard can, each applies its part.
     */
    private void onVote(SegmentId segment, ShardMessage.Vote vote) {
        ImportStatus status = stores.imports().get(vote.importId());
        if (status == null || !of(status, segment) || (status.getStatus() != ImportState.PREPARING
                && status.getStatus() != ImportState.IN_PROGRESS)) {
            return;
        }
        if (!vote.ok()) {
            votes.delete(vote.importId());
            work.stopImport(segment, vote.importId(), ShardReports.BY_ANOTHER_SHARD + vote.from() + " of "
                    + layout.shards() + " could not apply the import, so no shard applied it: " + vote.reason());
            return;
        }
        byte[] stored = votes.get(vote.importId());
        java.util.BitSet yes = stored == null ? new java.util.BitSet() : java.util.BitSet.valueOf(stored);
        yes.set(vote.from());
        byte[] waiting = stores.work().get(WorkItem.idOfImport(vote.importId()));
        WorkItem item = waiting == null ? null : WorkItem.fromBytes(waiting);
        if (yes.cardinality() == layout.shards() && item != null && item.phase() == WorkItem.Phase.AWAIT_VOTES) {
            votes.delete(vote.importId());
            putWork(item.next(WorkItem.Phase.APPLY_ADDS));
        } else {
            votes.put(vote.importId(), yes.toByteArray());
        }
    }

    /**
     * With shards, a commit that reaches a shard where the import is over (stopped: abandoned, aborted, or one of
     * its commands failed here) or never began (its begin failed here) is refused, so that no other shard waits
     * for this one or applies its part.
     */
    private void refuseCommit(SegmentId segment, String importId) {
        if (layout == null) {
            return;
        }
        ImportStatus status = stores.imports().get(importId);
        if (status == null) {
            emitter.vote(segment, importId, false, "the import never began in this shard");
        } else if (status.getStatus() == ImportState.STOPPED && of(status, segment)) {
            emitter.vote(segment, importId, false, status.getError());
        }
    }

    private static boolean of(ImportStatus status, SegmentId segment) {
        return status.getEnvironmentId().equals(segment.environmentId())
                && status.getSegmentKey().equals(segment.segmentKey());
    }

    /**
     * What a failed command had changed stays (state has no per-record rollback); an import it concerned is
     * stopped, so that it neither waits forever for work that was never queued nor applies half a commit.
     */
    private void stopImportOf(SegmentCommand command, RuntimeException failure) {
        String importId = importIdOf(command.getPayload());
        if (importId == null) {
            return;
        }
        try {
            work.stopImport(new SegmentId(command.getEnvironmentId(), command.getSegmentKey()), importId,
                    "a command of the import could not be processed (" + failure + "); nothing more of it is applied:"
                            + " run the import again");
        } catch (RuntimeException again) {
            LOG.error("import {} could not be stopped after its command failed", importId, again);
        }
    }

    private static String importIdOf(Object payload) {
        if (payload instanceof ImportBegin p) {
            return p.getImportId();
        } else if (payload instanceof ImportChunk p) {
            return p.getImportId();
        } else if (payload instanceof ImportCommit p) {
            return p.getImportId();
        } else if (payload instanceof ImportAbort p) {
            return p.getImportId();
        }
        return null;
    }

    private void handle(SegmentCommand command) {
        if (isDuplicate(command.getCommandId())) {
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

    /** The record's coordinates, for logs. */
    private String where() {
        return emitter.where();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
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
        updater.counts().start(segment, generation);
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
        ImportStatus status = staging(segment, chunk.getImportId());
        if (status == null) {
            return;
        }
        byte[] prefix = StateKeys.stagingPrefix(segment, chunk.getImportId());
        if (staged.has(prefix, chunk.getSequence())) {
            // The same chunk again (a sender that retried with another command id): it is staged once.
            return;
        }
        int keys = chunk.getHashes().size() + chunk.getRawKeys().size();
        ByteBuffer digests = ByteBuffer.allocate(keys * ContextHashes.DIGEST_BYTES);
        chunk.getHashes().forEach(hash -> digests.put(hash.bytes()));
        chunk.getRawKeys().forEach(raw -> digests.put(ContextHashes.digest(raw)));
        // Keys repeated in the file are found when the import is applied (ListedKeys), and move from
        // keysStaged to duplicates then.
        staged.stage(prefix, chunk.getSequence(), digests.array());
        status.setKeysStaged(status.getKeysStaged() + keys);
        status.setChunksStaged(status.getChunksStaged() + 1);
        status.setUpdatedAt(now());
        saveImport(status);
    }

    private void commitImport(SegmentId segment, ImportCommit commit) {
        ImportStatus status = staging(segment, commit.getImportId());
        if (status == null) {
            refuseCommit(segment, commit.getImportId());
            return;
        }
        SegmentDefinition definition = stores.segments().get(key(segment));
        String incomplete = staged.incompleteness(StateKeys.stagingPrefix(segment, commit.getImportId()),
                status.getChunksStaged(), commit.getChunkCount());
        if (incomplete != null) {
            status.setIngest(commit.getStats());
            stopImport(status, "the import is not whole, so it changed nothing: " + incomplete);
            releaseSegment(definition, commit.getImportId());
            refuseCommit(segment, commit.getImportId());
            return;
        }
        boolean replace = status.getMode() == dev.bigsegments.schemas.avro.ImportMode.REPLACE;
        status.setIngest(commit.getStats());
        status.setStatus(ImportState.IN_PROGRESS);
        status.setToProcess(status.getKeysStaged() + (replace ? definition.getMembers() : 0));
        // Refined when the removal pass starts; an estimate until then.
        status.setUpdatedAt(now());
        saveImport(status);
        int generation = definition.getGeneration();
        WorkItem apply = new WorkItem(WorkItem.Phase.APPLY_ADDS, segment, commit.getImportId(), generation, null,
                updater.nextEpoch(segment, generation));
        if (layout == null) {
            putWork(apply);
        } else {
            putWork(apply.next(WorkItem.Phase.AWAIT_VOTES));
            emitter.vote(segment, commit.getImportId(), true, null);
        }
    }

    private void abortImport(SegmentId segment, ImportAbort abort) {
        ImportStatus status = staging(segment, abort.getImportId());
        if (status == null) {
            return;
        }
        if (abort.getStats() != null) {
            status.setIngest(abort.getStats());
        }
        stopImport(status, abort.getReason());
        releaseSegment(stores.segments().get(key(segment)), abort.getImportId());
    }

    /** The segment may take another import. */
    private void releaseSegment(SegmentDefinition definition, String importId) {
        if (definition != null && importId.equals(definition.getActiveImportId())) {
            definition.setActiveImportId(null);
            saveSegment(definition);
        }
    }

    /**
     * The status of an import still staging for this segment, or null: an import that is over, or one begun
     * for another segment (a direct producer's mistake), takes no more chunks, commit or abort from here.
     */
    private ImportStatus staging(SegmentId segment, String importId) {
        ImportStatus status = stores.imports().get(importId);
        if (status == null || status.getStatus() != ImportState.PREPARING) {
            return null;
        }
        if (!status.getEnvironmentId().equals(segment.environmentId())
                || !status.getSegmentKey().equals(segment.segmentKey())) {
            LOG.warn("{}: import {} belongs to segment {}/{}, not {}; ignored", where(), importId,
                    status.getEnvironmentId(), status.getSegmentKey(), segment);
            return null;
        }
        return status;
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
