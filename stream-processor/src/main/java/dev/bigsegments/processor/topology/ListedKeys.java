package dev.bigsegments.processor.topology;

import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.processor.state.WorkItem;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The members an import being applied found already included, so far: with the mark the import leaves on the
 * members it includes ({@link dev.bigsegments.processor.state.MemberValue}), how it tells a key it meets twice (a
 * duplicate) and which members a replace leaves out. The set lives in a store with no changelog, so a member that
 * an import lists again unchanged costs nothing in Kafka. The staged chunks stay the truth, and the set is rebuilt
 * from them whenever it is not exactly the keys before the import's committed cursor: on another instance, after an
 * unclean stop (Kafka Streams wipes the state of a task it did not close cleanly under exactly-once), or from an
 * older copy of the task's state. A rebuilt set holds every staged key before the cursor, the ones the import
 * included too: those carry its mark anyway.
 *
 * <p>Each import has a progress record beside its keys: its epoch and the staging cursor up to which the set holds
 * every staged key, or "complete". Keys and progress are written in the same slice, so the store always knows how
 * far its set goes. A set being deleted has progress "dropping" (epoch 0, which no import has) with the last digest
 * deleted, so a half-deleted set is never taken for a whole one and each slice of the deletion starts where the
 * last one ended.
 *
 * <pre>
 * key:      0x01 stagingPrefix digest   value: empty
 * progress: 0x02 stagingPrefix          value: epoch(8) state(1: 0 through the cursor, 1 complete, 2 dropping) [cursor]
 * </pre>
 *
 * The progress records sort after every key: listing them seeks past the keys, and past the deleted keys RocksDB
 * would otherwise step over one by one until compaction.
 */
final class ListedKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ListedKeys.class);
    private static final byte KEY = 1;
    private static final byte PROGRESS = 2;
    private static final byte THROUGH = 0;
    private static final byte COMPLETE = 1;
    private static final byte DROPPING = 2;
    /**
     * Rebuilding reads this many slices' worth of staged keys at a time: it only lists them. (Not a multiple of
     * the apply's slices would do as well: a rebuild stops exactly at the import's cursor, whatever the sizes.)
     */
    private static final int REBUILD_SLICES = 4;
    private static final byte[] EMPTY = new byte[0];

    /** Where an import's set must reach: the staged keys before a cursor, or all of them. */
    record Target(byte[] cursor, boolean all) {
        static final Target ALL = new Target(null, true);

        static Target before(byte[] cursor) {
            return new Target(cursor, false);
        }
    }

    private record Progress(long epoch, byte state, byte[] cursor) {
        boolean reached(Target target) {
            return target.all() ? state == COMPLETE : state == THROUGH && Arrays.equals(cursor, target.cursor());
        }

        /** Whether the set is short of the target, so that indexing on from its cursor reaches it. */
        boolean shortOf(Target target) {
            if (state != THROUGH) {
                return false;
            }
            if (target.all() || cursor == null) {
                return target.all() || target.cursor() != null;
            }
            return target.cursor() != null && Arrays.compareUnsigned(cursor, target.cursor()) < 0;
        }
    }

    private final KeyValueStore<Bytes, byte[]> store;
    private final StagedChunks staged;
    private final int sliceSize;
    /** The staging prefix the last key was made for (callers pass the same array for a slice), and its keys' prefix. */
    private byte[] keysOf;
    private byte[] keysPrefix;

    ListedKeys(KeyValueStore<Bytes, byte[]> store, StagedChunks staged, int sliceSize) {
        this.store = store;
        this.staged = staged;
        this.sliceSize = sliceSize;
    }

    /**
     * Whether the import's set holds exactly its staged keys up to {@code target}. When it does not, does one slice
     * of bringing it there (reading the staged chunks on from where the set ends, or first emptying a set that
     * went past the target or belongs to another epoch) and returns false: the caller asks again.
     */
    boolean ready(WorkItem item, Target target) {
        byte[] prefix = StateKeys.stagingPrefix(item.segment(), item.importId());
        Progress progress = progress(prefix);
        if (progress == null) {
            if (!target.all() && target.cursor() == null) {
                return true;
            }
            LOG.info("import {} of {}: rebuilding the keys it listed from its staged chunks (this task's copy of"
                    + " them is gone)", item.importId(), item.segment());
            progress = new Progress(item.epoch(), THROUGH, null);
        }
        if (progress.epoch() == item.epoch() && progress.reached(target)) {
            return true;
        }
        if (progress.epoch() != item.epoch() || !progress.shortOf(target)) {
            if (drop(prefix)) {
                LOG.info("import {} of {}: emptied a set of listed keys that did not match its progress",
                        item.importId(), item.segment());
            }
            return false;
        }
        StagedChunks.Slice slice = staged.read(prefix, progress.cursor(), REBUILD_SLICES * sliceSize, target.cursor());
        if (slice.digests().isEmpty() && !(target.all() && slice.last())) {
            throw new IllegalStateException("the staged keys end before the import's cursor");
        }
        for (byte[] digest : slice.digests()) {
            store.put(key(prefix, digest), EMPTY);
        }
        advanced(item, slice.cursor(), target.all() && slice.last());
        return false;
    }

    /** Adds a key the import lists; false when it was listed before. */
    boolean add(byte[] stagingPrefix, byte[] digest) {
        Bytes key = key(stagingPrefix, digest);
        if (store.get(key) != null) {
            return false;
        }
        store.put(key, EMPTY);
        return true;
    }

    /** The import's listed digests from {@code first} to {@code last} (both included), in order. */
    List<byte[]> between(byte[] stagingPrefix, byte[] first, byte[] last) {
        List<byte[]> digests = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(key(stagingPrefix, first), key(stagingPrefix, last))) {
            it.forEachRemaining(kv -> digests.add(StateKeys.digestOf(kv.key)));
        }
        return digests;
    }

    /** The set now holds the staged keys before {@code cursor}, or all of them. */
    void advanced(WorkItem item, byte[] cursor, boolean complete) {
        putProgress(StateKeys.stagingPrefix(item.segment(), item.importId()),
                new Progress(item.epoch(), complete ? COMPLETE : THROUGH, cursor));
    }

    private void putProgress(byte[] stagingPrefix, Progress progress) {
        byte[] cursor = progress.cursor();
        ByteBuffer value = ByteBuffer.allocate(Long.BYTES + 1 + (cursor == null ? 0 : cursor.length))
                .putLong(progress.epoch()).put(progress.state());
        if (cursor != null) {
            value.put(cursor);
        }
        store.put(progressKey(stagingPrefix), value.array());
    }

    /**
     * Deletes up to a slice of the import's keys, and its progress once no key is left.
     *
     * @return true when nothing of the import is left
     */
    boolean drop(byte[] stagingPrefix) {
        Progress progress = progress(stagingPrefix);
        if (progress == null) {
            // No key is written without its progress, and the progress goes last: nothing is left. (Not seeking
            // saves stepping over the keys just deleted, which RocksDB keeps as tombstones until compaction.)
            return true;
        }
        byte[] after = progress.state() == DROPPING ? progress.cursor() : null;
        byte[] keysPrefix = tagged(KEY, stagingPrefix);
        Bytes from = StateKeys.rangeStart(keysPrefix, after);
        List<Bytes> keys = new ArrayList<>();
        if (from != null) {
            try (KeyValueIterator<Bytes, byte[]> it = store.range(from, StateKeys.rangeEnd(keysPrefix))) {
                while (keys.size() < sliceSize && it.hasNext()) {
                    keys.add(it.next().key);
                }
            }
        }
        keys.forEach(store::delete);
        if (keys.size() < sliceSize) {
            store.delete(progressKey(stagingPrefix));
            return true;
        }
        putProgress(stagingPrefix, new Progress(WorkItem.NO_EPOCH, DROPPING,
                StateKeys.digestOf(keys.get(keys.size() - 1))));
        return false;
    }

    /** The staging prefixes of every import the store holds a set for. */
    List<byte[]> imports() {
        List<byte[]> prefixes = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(new byte[] {PROGRESS}),
                Bytes.wrap(new byte[] {PROGRESS + 1}))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] key = kv.key.get();
                if (key.length > 1 && key[0] == PROGRESS) {
                    prefixes.add(Arrays.copyOfRange(key, 1, key.length));
                }
            }
        }
        return prefixes;
    }

    private Progress progress(byte[] stagingPrefix) {
        byte[] value = store.get(progressKey(stagingPrefix));
        if (value == null) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        long epoch = in.getLong();
        byte state = in.get();
        byte[] cursor = in.hasRemaining() ? Arrays.copyOfRange(value, in.position(), value.length) : null;
        return new Progress(epoch, state, cursor);
    }

    private static Bytes progressKey(byte[] stagingPrefix) {
        return Bytes.wrap(tagged(PROGRESS, stagingPrefix));
    }

    private Bytes key(byte[] stagingPrefix, byte[] digest) {
        if (stagingPrefix != keysOf) {
            keysOf = stagingPrefix;
            keysPrefix = tagged(KEY, stagingPrefix);
        }
        return StateKeys.withDigest(keysPrefix, digest);
    }

    private static byte[] tagged(byte tag, byte[] stagingPrefix) {
        return ByteBuffer.allocate(1 + stagingPrefix.length).put(tag).put(stagingPrefix).array();
    }
}
