package dev.bigsegments.processor.topology;

import dev.bigsegments.processor.state.ListCountsValue;
import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.schemas.SegmentId;
import java.util.function.LongSupplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each segment generation's members per list ({@link ListCountsValue}) as its members change. The counts
 * of the generation being changed are held here and written once per command or background slice ({@link
 * #flush}), not once per member: an import changes one generation many times in a row. A generation without
 * counts (made by a version that kept none) gets none: the query that asks counts it instead.
 */
final class ListCounts {
    private final KeyValueStore<Bytes, byte[]> members;
    private final LongSupplier clock;
    private Bytes key;
    private ListCountsValue value;
    private boolean dirty;

    ListCounts(KeyValueStore<Bytes, byte[]> members, LongSupplier clock) {
        this.members = members;
        this.clock = clock;
    }

    /** A new generation starts with no members. */
    void start(SegmentId segment, int generation) {
        flush();
        members.put(StateKeys.countsKey(StateKeys.membersPrefix(segment, generation)), ListCountsValue.EMPTY.toBytes());
    }

    void changed(byte[] membersPrefix, byte before, byte after) {
        Bytes k = StateKeys.countsKey(membersPrefix);
        if (!k.equals(key)) {
            flush();
            key = k;
            byte[] stored = members.get(k);
            value = stored == null ? null : ListCountsValue.fromBytes(stored);
        }
        if (value != null) {
            value = value.plus(before, after, clock.getAsLong());
            dirty = true;
        }
    }

    void flush() {
        if (dirty) {
            members.put(key, value.toBytes());
        }
        key = null;
        value = null;
        dirty = false;
    }

    /** The generation is gone: its counts go with it. */
    void forget(SegmentId segment, int generation) {
        Bytes k = StateKeys.countsKey(StateKeys.membersPrefix(segment, generation));
        if (k.equals(key)) {
            key = null;
            value = null;
            dirty = false;
        }
        members.delete(k);
    }
}
