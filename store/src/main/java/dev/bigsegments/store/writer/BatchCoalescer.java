package dev.bigsegments.store.writer;

import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.store.SetOp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a batch of membership records into the net set operations: one per (environment, context,
 * list, ref), the last record winning, since records of one key arrive in order on one partition.
 */
public final class BatchCoalescer {

    /** How records become operations. */
    public enum Mode {
        /** Apply what changed: one operation per changed list; tombstones remove. */
        LIVE,
        /**
         * Fill an empty store from the compacted topic. Compaction keeps a suffix of each key's history,
         * so the first record seen may follow changes that were compacted away: every list a record
         * holds is added, and, as in LIVE, a list the record changed to absent is removed (a later
         * record undoing an earlier one in another batch). Lists absent and unchanged cost nothing.
         * A live writer refilling a store that lost its data treats those records this way too
         * ({@link MembershipRecord#refill()}).
         */
        REBUILD
    }

    private final Mode mode;

    public BatchCoalescer(Mode mode) {
        this.mode = mode;
    }

    public List<SetOp> coalesce(Collection<MembershipRecord> records) {
        // Two operations per record at most: sized for them, the map is never rehashed.
        Map<OpKey, SetOp> net = new LinkedHashMap<>(4 * records.size() + 16);
        for (MembershipRecord record : records) {
            String hash = record.key().contextHash();
            MembershipState state = record.state();
            ChangedList changed = record.changed();
            boolean included = state != null && state.getIncluded();
            boolean excluded = state != null && state.getExcluded();
            boolean fill = mode == Mode.REBUILD || record.refill();
            if (changed != ChangedList.EXCLUDED || (fill && included)) {
                put(net, record.key(), op(record.key(), hash, MemberList.INCLUDED, included));
            }
            if (changed != ChangedList.INCLUDED || (fill && excluded)) {
                put(net, record.key(), op(record.key(), hash, MemberList.EXCLUDED, excluded));
            }
        }
        return new ArrayList<>(net.values());
    }

    private static void put(Map<OpKey, SetOp> net, MembershipKey key, SetOp op) {
        net.put(new OpKey(key, op.list()), op);
    }

    private static SetOp op(MembershipKey key, String hash, MemberList list, boolean add) {
        return new SetOp(key.environmentId(), hash, list, key.segmentRef(), add);
    }

    /**
     * One list of one context in one segment. Its hash takes the digest's first four bytes (a SHA-256, so
     * already uniform) instead of hashing the context hash's 44 characters for every record.
     */
    private record OpKey(MembershipKey key, MemberList list) {
        @Override
        public boolean equals(Object o) {
            return o instanceof OpKey k && list == k.list && key.equals(k.key);
        }

        @Override
        public int hashCode() {
            byte[] d = key.digest();
            int digest = (d[0] & 0xff) << 24 | (d[1] & 0xff) << 16 | (d[2] & 0xff) << 8 | (d[3] & 0xff);
            return (digest * 31 + key.segmentRef().hashCode()) * 31 + list.ordinal();
        }
    }
}
