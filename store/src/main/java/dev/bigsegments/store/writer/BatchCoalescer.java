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
                put(net, op(record.key(), hash, MemberList.INCLUDED, included));
            }
            if (changed != ChangedList.INCLUDED || (fill && excluded)) {
                put(net, op(record.key(), hash, MemberList.EXCLUDED, excluded));
            }
        }
        return new ArrayList<>(net.values());
    }

    private static void put(Map<OpKey, SetOp> net, SetOp op) {
        net.put(new OpKey(op.environmentId(), op.contextHash(), op.list(), op.segmentRef()), op);
    }

    private static SetOp op(MembershipKey key, String hash, MemberList list, boolean add) {
        return new SetOp(key.environmentId(), hash, list, key.segmentRef(), add);
    }

    private record OpKey(String environmentId, String hash, MemberList list, String ref) {
    }
}
