package dev.bigsegments.writer;

import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.writer.store.SetOp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

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
         */
        REBUILD
    }

    private final Mode mode;

    public BatchCoalescer(Mode mode) {
        this.mode = mode;
    }

    public List<SetOp> coalesce(Iterable<ConsumerRecord<byte[], MembershipState>> records) {
        Map<OpKey, SetOp> net = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], MembershipState> record : records) {
            MembershipKey key = MembershipKey.fromBytes(record.key());
            String hash = key.contextHash();
            for (SetOp op : opsOf(key, hash, record)) {
                net.put(new OpKey(op.environmentId(), hash, op.list(), op.segmentRef()), op);
            }
        }
        return new ArrayList<>(net.values());
    }

    private List<SetOp> opsOf(MembershipKey key, String hash, ConsumerRecord<byte[], MembershipState> record) {
        MembershipState state = record.value();
        ChangedList changed = state != null ? state.getChanged() : changedHeader(record);
        boolean included = state != null && state.getIncluded();
        boolean excluded = state != null && state.getExcluded();
        List<SetOp> ops = new ArrayList<>(2);
        if (changed != ChangedList.EXCLUDED || (mode == Mode.REBUILD && included)) {
            ops.add(op(key, hash, MemberList.INCLUDED, included));
        }
        if (changed != ChangedList.INCLUDED || (mode == Mode.REBUILD && excluded)) {
            ops.add(op(key, hash, MemberList.EXCLUDED, excluded));
        }
        return ops;
    }

    /** Tombstones name the list(s) the context left; without the header, remove from both. */
    private static ChangedList changedHeader(ConsumerRecord<byte[], MembershipState> record) {
        Header header = record.headers().lastHeader(Topics.CHANGED_HEADER);
        if (header == null) {
            return ChangedList.BOTH;
        }
        try {
            return ChangedList.valueOf(new String(header.value(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return ChangedList.BOTH;
        }
    }

    private static SetOp op(MembershipKey key, String hash, MemberList list, boolean add) {
        return new SetOp(key.environmentId(), hash, list, key.segmentRef(), add);
    }

    private record OpKey(String environmentId, String hash, MemberList list, String ref) {
    }
}
