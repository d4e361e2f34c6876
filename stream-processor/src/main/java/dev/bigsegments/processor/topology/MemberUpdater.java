package dev.bigsegments.processor.topology;

import dev.bigsegments.processor.state.MemberBits;
import dev.bigsegments.processor.state.MemberValue;
import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.schemas.SegmentId;
import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The single place where a context's membership bits change: it updates the members store and emits
 * a membership record only when the bits really changed, so the store (and its changelog) sees real changes only.
 * A members-store value is the {@link MemberBits}, then the epoch of the import that included the context
 * ({@link MemberValue}), kept through later changes.
 */
final class MemberUpdater {
    private final KeyValueStore<Bytes, byte[]> members;
    private final Emitter emitter;
    private final ListCounts counts;

    MemberUpdater(KeyValueStore<Bytes, byte[]> members, Emitter emitter, ListCounts counts) {
        this.members = members;
        this.emitter = emitter;
        this.counts = counts;
    }

    ListCounts counts() {
        return counts;
    }

    /**
     * Sets or clears {@code bit} for the context in the given generation.
     *
     * @return the change in the generation's member count (-1, 0 or +1), or {@link #UNCHANGED}
     */
    int update(SegmentId segment, int generation, byte[] digest, byte bit, boolean set) {
        Bytes key = StateKeys.withDigest(StateKeys.membersPrefix(segment, generation), digest);
        byte[] stored = members.get(key);
        byte before = MemberBits.of(stored);
        return write(segment, generation, digest, key, stored, (byte) (set ? before | bit : before & ~bit));
    }

    /**
     * Includes a context listed by the import with the given epoch. A context it includes is marked with the epoch,
     * in the write its inclusion needs anyway; one already included is left as it is, unwritten, and the caller
     * keeps it among the import's {@link ListedKeys}.
     *
     * @return as {@link #update} ({@link #UNCHANGED}: it was included before), or {@link #MARKED} when this import
     *     included it
     */
    int include(SegmentId segment, int generation, byte[] membersPrefix, byte[] digest, long epoch) {
        Bytes key = StateKeys.withDigest(membersPrefix, digest);
        byte[] stored = members.get(key);
        if (MemberValue.mark(stored) == epoch) {
            return MARKED;
        }
        byte before = MemberBits.of(stored);
        byte after = (byte) (before | MemberBits.INCLUDED);
        if (before == after) {
            return UNCHANGED;
        }
        members.put(key, MemberValue.of(after, epoch));
        emitter.membership(segment, generation, digest, before, after);
        counts.changed(membersPrefix, before, after);
        return before == MemberBits.NONE ? 1 : 0;
    }

    /** As {@link #update} for a key and stored value the caller already read. */
    int write(SegmentId segment, int generation, byte[] digest, Bytes key, byte[] stored, byte after) {
        byte before = MemberBits.of(stored);
        if (before == after) {
            return UNCHANGED;
        }
        if (after == MemberBits.NONE) {
            members.delete(key);
        } else {
            members.put(key, MemberValue.of(after, MemberValue.mark(stored)));
        }
        emitter.membership(segment, generation, digest, before, after);
        counts.changed(StateKeys.membersPrefix(segment, generation), before, after);
        if (before == MemberBits.NONE) {
            return 1;
        }
        return after == MemberBits.NONE ? -1 : 0;
    }

    /**
     * A new import epoch for the generation, from a counter kept under the generation's members prefix
     * (outside the range of its members), so no epoch is used twice in one generation.
     */
    long nextEpoch(SegmentId segment, int generation) {
        Bytes key = Bytes.wrap(StateKeys.membersPrefix(segment, generation));
        byte[] stored = members.get(key);
        long next = (stored == null ? MemberValue.NO_MARK : ByteBuffer.wrap(stored).getLong()) + 1;
        members.put(key, ByteBuffer.allocate(Long.BYTES).putLong(next).array());
        return next;
    }

    /** Forgets the generation's epoch counter and list counts once its members are gone. */
    void forgetGeneration(SegmentId segment, int generation) {
        members.delete(Bytes.wrap(StateKeys.membersPrefix(segment, generation)));
        counts.forget(segment, generation);
    }

    static final int UNCHANGED = Integer.MIN_VALUE;
    static final int MARKED = Integer.MIN_VALUE + 1;

    static int countDelta(int result) {
        return result == UNCHANGED || result == MARKED ? 0 : result;
    }
}
