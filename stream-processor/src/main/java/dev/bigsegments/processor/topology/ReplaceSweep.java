package dev.bigsegments.processor.topology;

import dev.bigsegments.processor.state.MemberBits;
import dev.bigsegments.processor.state.MemberValue;
import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.processor.state.WorkItem;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;

/**
 * The last pass of a replace import: its listed members were applied first, each either marked with the import's
 * epoch (the ones it included) or added to its {@link ListedKeys} (the ones included before), so every included
 * member of the segment's generation that is neither is one the new list does not hold, and leaves the included
 * list. Members are visited in key order, one slice per call from the work item's cursor,
 * which is saved with the slice's output: a crash resumes at the last committed slice.
 */
final class ReplaceSweep {
    /**
     * What one slice did.
     *
     * @param cursor the last member visited, where the next slice starts; null when the sweep is done
     */
    record Slice(long visited, long removed, long membersLost, byte[] cursor) {
        boolean done() {
            return cursor == null;
        }
    }

    private final SegmentStores stores;
    private final MemberUpdater updater;
    private final ListedKeys listed;
    private final int sliceSize;

    ReplaceSweep(SegmentStores stores, MemberUpdater updater, ListedKeys listed, int sliceSize) {
        this.stores = stores;
        this.updater = updater;
        this.listed = listed;
        this.sliceSize = sliceSize;
    }

    Slice next(WorkItem item) {
        byte[] membersPrefix = StateKeys.membersPrefix(item.segment(), item.generation());
        byte[] stagingPrefix = StateKeys.stagingPrefix(item.segment(), item.importId());
        List<KeyValue<Bytes, byte[]>> members = stores.membersAfter(membersPrefix, item.cursor(), sliceSize);
        // Both in digest order: the listed keys of the slice's range are walked beside its members, not looked up.
        List<byte[]> listedInRange = members.isEmpty() ? List.of() : listed.between(stagingPrefix,
                StateKeys.digestOf(members.get(0).key), StateKeys.digestOf(members.get(members.size() - 1).key));
        int next = 0;
        long removed = 0;
        long lost = 0;
        for (KeyValue<Bytes, byte[]> member : members) {
            byte before = MemberBits.of(member.value);
            byte[] digest = StateKeys.digestOf(member.key);
            while (next < listedInRange.size() && Arrays.compareUnsigned(listedInRange.get(next), digest) < 0) {
                next++;
            }
            boolean isListed = next < listedInRange.size() && Arrays.equals(listedInRange.get(next), digest);
            if (!MemberBits.included(before) || isListed || MemberValue.mark(member.value) == item.epoch()) {
                continue;
            }
            int result = updater.write(item.segment(), item.generation(), digest, member.key, member.value,
                    (byte) (before & ~MemberBits.INCLUDED));
            removed++;
            lost -= MemberUpdater.countDelta(result);
        }
        byte[] cursor = members.size() < sliceSize ? null : StateKeys.digestOf(members.get(members.size() - 1).key);
        return new Slice(members.size(), removed, lost, cursor);
    }
}
