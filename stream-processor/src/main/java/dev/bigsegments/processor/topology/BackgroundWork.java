package dev.bigsegments.processor.topology;

import dev.bigsegments.processor.state.MemberBits;
import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.processor.state.WorkItem.Phase;
import dev.bigsegments.processor.state.WorkItem;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advances queued work in bounded slices from a wall-clock punctuator. Each slice reads at most
 * {@code sliceSize} keys from a cursor, closes the iterator, then writes; the cursor is saved with the
 * slice's output, so under exactly-once a crash resumes at the last committed slice and no transaction
 * or poll interval grows with the size of the segment.
 */
final class BackgroundWork {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWork.class);

    private final ProcessorSettings settings;
    private final SegmentStores stores;
    private final Emitter emitter;
    private final MemberUpdater updater;
    private final StagedChunks staged;
    private final ListedKeys listed;
    private final ReplaceSweep sweep;
    private final LongSupplier clock;
    /** When this task (re)started: the chunks of an import may wait in the topic while it was down. */
    private final long startedAt;

    BackgroundWork(ProcessorSettings settings, SegmentStores stores, Emitter emitter, MemberUpdater updater,
            LongSupplier clock) {
        this.settings = settings;
        this.stores = stores;
        this.emitter = emitter;
        this.updater = updater;
        this.staged = new StagedChunks(stores.staging());
        this.listed = new ListedKeys(stores.listed(), staged, settings.sliceSize());
        this.sweep = new ReplaceSweep(stores, updater, listed, settings.sliceSize());
        this.clock = clock;
        this.startedAt = clock.getAsLong();
    }

    void run(long timestamp) {
        // Measured with the real clock: the context's time stands still within one punctuation.
        long deadline = System.nanoTime() + settings.sliceBudget().toNanos();
        List<WorkItem> pending = pendingWork();
        dropLeftOverSets(pending);
        boolean sliced = false;
        for (WorkItem item : pending) {
            if (item.importId() != null && item.epoch() == WorkItem.LEGACY_EPOCH) {
                stopImport(item.segment(), item.importId(), "stopped by an upgrade of the stream processor; run the"
                        + " import again");
                continue;
            }
            try {
                sliced |= advance(item, deadline, !sliced);
            } catch (RuntimeException e) {
                if (item.importId() == null) {
                    throw e;
                }
                // Applying it again would fail again: the import stops (what it applied so far stays) instead of
                // holding the partition in a loop of failures.
                LOG.error("import {} of {} failed while {}; it is stopped", item.importId(), item.segment(),
                        item.phase(), e);
                stopImport(item.segment(), item.importId(), "failed while applying (" + e + "); the segment may"
                        + " hold part of it: run the import again");
            }
        }
        updater.counts().flush();
    }

    /**
     * Slices of the item while the run's budget lasts, and at least one when {@code atLeastOne} (the first item a run
     * can advance), so work goes on however small the budget.
     *
     * @return whether a slice was done
     */
    private boolean advance(WorkItem item, long deadline, boolean atLeastOne) {
        WorkItem current = item;
        boolean sliced = false;
        while (current != null && current.phase() != Phase.STAGING && current.phase() != Phase.AWAIT_VOTES
                && ((atLeastOne && !sliced) || System.nanoTime() < deadline)) {
            current = advance(current);
            sliced = true;
        }
        if (current != null && current.phase() == Phase.STAGING) {
            abandonIfIdle(current);
        }
        return sliced;
    }

    private List<WorkItem> pendingWork() {
        List<WorkItem> items = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = stores.work().all()) {
            it.forEachRemaining(kv -> items.add(WorkItem.fromBytes(kv.value)));
        }
        return items;
    }

    /** One slice of the item's current phase; returns the item as it stands after it, null when done. */
    private WorkItem advance(WorkItem item) {
        WorkItem next = switch (item.phase()) {
            case APPLY_ADDS -> applyAdds(item);
            case APPLY_REMOVES -> applyRemoves(item);
            case DROP_STAGING -> dropStaging(item);
            case CLEANUP_GENERATION -> cleanupGeneration(item);
            case STAGING, AWAIT_VOTES -> item;
        };
        if (next == item) {
            return item;
        }
        if (next == null) {
            stores.work().delete(item.id());
        } else {
            stores.work().put(next.id(), next.toBytes());
        }
        return next;
    }

    /**
     * A slice of the staged keys, each included: a key the import includes is marked with its epoch, one included
     * before is added to its listed keys; a key marked or listed before is a duplicate.
     */
    private WorkItem applyAdds(WorkItem item) {
        if (!listed.ready(item, ListedKeys.Target.before(item.cursor()))) {
            return item;
        }
        byte[] stagingPrefix = StateKeys.stagingPrefix(item.segment(), item.importId());
        StagedChunks.Slice slice = staged.read(stagingPrefix, item.cursor(), settings.sliceSize());
        byte[] membersPrefix = StateKeys.membersPrefix(item.segment(), item.generation());
        ImportStatus status = stores.imports().get(item.importId());
        long added = 0;
        long newMembers = 0;
        long duplicates = 0;
        for (byte[] digest : slice.digests()) {
            int result = updater.include(item.segment(), item.generation(), membersPrefix, digest, item.epoch());
            if (result == MemberUpdater.MARKED) {
                duplicates++;
            } else if (result == MemberUpdater.UNCHANGED) {
                // A member before the import: listed apart, unwritten.
                if (!listed.add(stagingPrefix, digest)) {
                    duplicates++;
                }
            } else {
                added++;
                newMembers += result;
            }
        }
        listed.advanced(item, slice.cursor(), slice.last());
        AppliedKeys.add(slice.digests().size());
        // A key met again was counted as staged when its chunk came: it is a duplicate, not work.
        status.setKeysStaged(status.getKeysStaged() - duplicates);
        status.setDuplicates(status.getDuplicates() + duplicates);
        status.setToProcess(status.getToProcess() - duplicates);
        status.setAdded(status.getAdded() + added);
        status.setProcessed(status.getProcessed() + slice.digests().size() - duplicates);
        addMembers(item.segment(), newMembers);
        if (slice.last()) {
            if (status.getMode() != ImportMode.REPLACE) {
                return saveProgress(status, finish(item, status));
            }
            // The removal pass visits every member, the ones just added included.
            status.setToProcess(status.getProcessed() + memberCount(item.segment()));
            return saveProgress(status, item.next(Phase.APPLY_REMOVES));
        }
        return saveProgress(status, item.at(slice.cursor()));
    }

    /** Replace: the {@link ReplaceSweep}, one slice, with its counts added to the import's status. */
    private WorkItem applyRemoves(WorkItem item) {
        if (!listed.ready(item, ListedKeys.Target.ALL)) {
            return item;
        }
        ReplaceSweep.Slice slice = sweep.next(item);
        ImportStatus status = stores.imports().get(item.importId());
        status.setRemoved(status.getRemoved() + slice.removed());
        status.setProcessed(status.getProcessed() + slice.visited());
        addMembers(item.segment(), -slice.membersLost());
        if (slice.done()) {
            return saveProgress(status, finish(item, status));
        }
        return saveProgress(status, item.at(slice.cursor()));
    }

    /** The import's membership is final: report it complete and drop its staging area next. */
    private WorkItem finish(WorkItem item, ImportStatus status) {
        status.setStatus(ImportState.COMPLETE);
        status.setProcessed(Math.max(status.getProcessed(), status.getToProcess()));
        SegmentDefinition definition = stores.segments().get(Bytes.wrap(item.segment().toBytes()));
        if (definition != null && item.importId().equals(definition.getActiveImportId())) {
            definition.setActiveImportId(null);
            definition.setUpdatedAt(Instant.ofEpochMilli(clock.getAsLong()));
            stores.segments().put(Bytes.wrap(item.segment().toBytes()), definition);
            emitter.segment(definition);
        }
        return item.next(Phase.DROP_STAGING);
    }

    private WorkItem dropStaging(WorkItem item) {
        byte[] prefix = StateKeys.stagingPrefix(item.segment(), item.importId());
        if (!listed.drop(prefix)) {
            return item;
        }
        return staged.drop(prefix, settings.sliceSize()) ? null : item;
    }

    /**
     * Drops a slice of the listed keys of an import that has no work here. None is written without work: such a set
     * comes from an older copy of this task's state, after the import went on and ended elsewhere.
     */
    private void dropLeftOverSets(List<WorkItem> pending) {
        Set<Bytes> applying = new HashSet<>();
        for (WorkItem item : pending) {
            if (item.importId() != null) {
                applying.add(Bytes.wrap(StateKeys.stagingPrefix(item.segment(), item.importId())));
            }
        }
        for (byte[] prefix : listed.imports()) {
            if (!applying.contains(Bytes.wrap(prefix))) {
                listed.drop(prefix);
                return;
            }
        }
    }

    private WorkItem cleanupGeneration(WorkItem item) {
        byte[] prefix = StateKeys.membersPrefix(item.segment(), item.generation());
        List<KeyValue<Bytes, byte[]>> slice = stores.membersAfter(prefix, item.cursor(), settings.sliceSize());
        for (KeyValue<Bytes, byte[]> member : slice) {
            updater.write(item.segment(), item.generation(), StateKeys.digestOf(member.key), member.key,
                    member.value, MemberBits.NONE);
        }
        if (slice.size() < settings.sliceSize()) {
            finishCleanup(item);
            return null;
        }
        return item.at(StateKeys.digestOf(slice.get(slice.size() - 1).key));
    }

    private void finishCleanup(WorkItem item) {
        updater.forgetGeneration(item.segment(), item.generation());
        Bytes key = Bytes.wrap(item.segment().toBytes());
        SegmentDefinition definition = stores.segments().get(key);
        if (definition != null && definition.getPendingCleanups().contains(item.generation())) {
            List<Integer> remaining = new ArrayList<>(definition.getPendingCleanups());
            remaining.remove(Integer.valueOf(item.generation()));
            definition.setPendingCleanups(remaining);
            definition.setUpdatedAt(Instant.ofEpochMilli(clock.getAsLong()));
            stores.segments().put(key, definition);
            emitter.segment(definition);
        }
    }

    /**
     * An import whose sender went away (no chunk for abandonAfter) stops and changes nothing. Idle time
     * counts from the last chunk or from this task's start, whichever is later: after an outage the
     * import's remaining chunks and commit may be waiting in the topic, and are read well within that time.
     */
    private void abandonIfIdle(WorkItem item) {
        ImportStatus status = stores.imports().get(item.importId());
        long idleSince = Math.max(status.getUpdatedAt().toEpochMilli(), startedAt);
        if (clock.getAsLong() - idleSince < settings.abandonAfter().toMillis()) {
            return;
        }
        status.setStatus(ImportState.STOPPED);
        status.setError("abandoned: no data for " + settings.abandonAfter().toSeconds() + " s");
        saveProgress(status, null);
        releaseSegment(item);
        WorkItem drop = item.next(Phase.DROP_STAGING);
        stores.work().put(drop.id(), drop.toBytes());
    }

    /**
     * Stops an import still staging or applying, whatever it was doing: it reports the reason, the segment may
     * take another import, and its staging area is dropped. A replace stopped while applying keeps the changes
     * it made. Used for an import queued by a version that staged imports key by key (that staging area is not
     * read any more) and for one whose processing failed.
     */
    void stopImport(SegmentId segment, String importId, String reason) {
        ImportStatus status = stores.imports().get(importId);
        if (status != null && (status.getStatus() == ImportState.PREPARING
                || status.getStatus() == ImportState.IN_PROGRESS)) {
            status.setStatus(ImportState.STOPPED);
            status.setError(reason);
            saveProgress(status, null);
            releaseSegment(segment, importId);
        }
        WorkItem drop = new WorkItem(Phase.DROP_STAGING, segment, importId, 0, null, WorkItem.NO_EPOCH);
        stores.work().put(drop.id(), drop.toBytes());
    }

    private void releaseSegment(WorkItem item) {
        releaseSegment(item.segment(), item.importId());
    }

    private void releaseSegment(SegmentId segment, String importId) {
        Bytes key = Bytes.wrap(segment.toBytes());
        SegmentDefinition definition = stores.segments().get(key);
        if (definition != null && importId.equals(definition.getActiveImportId())) {
            definition.setActiveImportId(null);
            stores.segments().put(key, definition);
            emitter.segment(definition);
        }
    }

    private WorkItem saveProgress(ImportStatus status, WorkItem next) {
        status.setUpdatedAt(Instant.ofEpochMilli(clock.getAsLong()));
        stores.imports().put(status.getImportId(), status);
        emitter.importStatus(status);
        return next;
    }

    private long memberCount(SegmentId segment) {
        SegmentDefinition definition = stores.segments().get(Bytes.wrap(segment.toBytes()));
        return definition == null ? 0 : definition.getMembers();
    }

    private void addMembers(SegmentId segment, long delta) {
        if (delta == 0) {
            return;
        }
        Bytes key = Bytes.wrap(segment.toBytes());
        SegmentDefinition definition = stores.segments().get(key);
        if (definition != null) {
            definition.setMembers(definition.getMembers() + delta);
            stores.segments().put(key, definition);
        }
    }
}
