package dev.bigsegments.processor.topology;

import dev.bigsegments.processor.state.MemberBits;
import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.schemas.SegmentId;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The single place where a context's membership bits change: it updates the members store and emits
 * a membership record only when the bits really changed, so the store sees real changes only.
 */
final class MemberUpdater {
    private final KeyValueStore<Bytes, byte[]> members;
    private final Emitter emitter;

    MemberUpdater(KeyValueStore<Bytes, byte[]> members, Emitter emitter) {
        this.members = members;
        this.emitter = emitter;
    }

    /**
     * Sets or clears {@code bit} for the context in the given generation.
     *
     * @return the change in the generation's member count (-1, 0 or +1), or {@link #UNCHANGED}
     */
    int update(SegmentId segment, int generation, byte[] digest, byte bit, boolean set) {
        Bytes key = StateKeys.withDigest(StateKeys.membersPrefix(segment, generation), digest);
        byte before = MemberBits.of(members.get(key));
        return write(segment, generation, digest, key, before, (byte) (set ? before | bit : before & ~bit));
    }

    /** As {@link #update} for a key and current bits the caller already read. */
    int write(SegmentId segment, int generation, byte[] digest, Bytes key, byte before, byte after) {
        if (before == after) {
            return UNCHANGED;
        }
        if (after == MemberBits.NONE) {
            members.delete(key);
        } else {
            members.put(key, new byte[] {after});
        }
        emitter.membership(segment, generation, digest, before, after);
        if (before == MemberBits.NONE) {
            return 1;
        }
        return after == MemberBits.NONE ? -1 : 0;
    }

    static final int UNCHANGED = Integer.MIN_VALUE;

    static int countDelta(int result) {
        return result == UNCHANGED ? 0 : result;
    }
}
