package dev.bigsegments.processor.query;

import dev.bigsegments.processor.state.ListCountsValue;
import dev.bigsegments.processor.state.MemberBits;
import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.query.PipelineQueries.Membership;
import dev.bigsegments.schemas.query.PipelineQueries.SegmentCounts;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads memberships and list counts from a (read-only view of the) processor's members store. */
public final class MembersReader {
    private final ReadOnlyKeyValueStore<Bytes, byte[]> members;

    public MembersReader(ReadOnlyKeyValueStore<Bytes, byte[]> members) {
        this.members = members;
    }

    public List<Membership> members(SegmentId segment, int generation, List<String> hashes) {
        byte[] prefix = StateKeys.membersPrefix(segment, generation);
        List<Membership> out = new ArrayList<>(hashes.size());
        for (String hash : hashes) {
            byte bits = MemberBits.of(members.get(StateKeys.withDigest(prefix, ContextHashes.decode(hash))));
            out.add(new Membership(hash, MemberBits.included(bits), MemberBits.excluded(bits)));
        }
        return out;
    }

    /**
     * The generation's kept counts; a generation made by a version that kept none is counted member by member
     * here (slow for many millions, and only for those).
     */
    public SegmentCounts counts(SegmentId segment, int generation) {
        byte[] prefix = StateKeys.membersPrefix(segment, generation);
        byte[] kept = members.get(StateKeys.countsKey(prefix));
        if (kept != null) {
            ListCountsValue v = ListCountsValue.fromBytes(kept);
            return new SegmentCounts(segment.segmentKey(), generation, v.included(), v.excluded(),
                    v.lastChangeAt() == 0 ? null : v.lastChangeAt());
        }
        long included = 0;
        long excluded = 0;
        try (KeyValueIterator<Bytes, byte[]> it = members.range(StateKeys.rangeStart(prefix, null),
                StateKeys.rangeEnd(prefix))) {
            while (it.hasNext()) {
                byte bits = MemberBits.of(it.next().value);
                included += MemberBits.included(bits) ? 1 : 0;
                excluded += MemberBits.excluded(bits) ? 1 : 0;
            }
        }
        return new SegmentCounts(segment.segmentKey(), generation, included, excluded, null);
    }
}
