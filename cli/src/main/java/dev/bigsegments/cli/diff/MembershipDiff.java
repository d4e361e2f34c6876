package dev.bigsegments.cli.diff;

import dev.bigsegments.store.SetOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a store lacks and holds in excess compared with the topic's truth. A set of the wrong type counts
 * as empty: once it is deleted, every ref the truth has for it is missing.
 *
 * @param missing additions that make the store equal the truth
 * @param extra removals that make the store equal the truth
 * @param wrongType membership keys that are not sets (the SDK reports STORE_ERROR on them)
 */
public record MembershipDiff(List<SetOp> missing, List<SetOp> extra, Set<Slot> wrongType) {

    public static MembershipDiff between(String environmentId, Memberships truth, Memberships store,
            Set<Slot> wrongType) {
        List<SetOp> missing = new ArrayList<>();
        List<SetOp> extra = new ArrayList<>();
        Set<Slot> all = new HashSet<>(truth.slots());
        all.addAll(store.slots());
        all.addAll(wrongType);
        for (Slot slot : all) {
            Set<String> want = truth.refs(slot);
            Set<String> have = wrongType.contains(slot) ? Set.of() : store.refs(slot);
            for (String ref : want) {
                if (!have.contains(ref)) {
                    missing.add(new SetOp(environmentId, slot.contextHash(), slot.list(), ref, true));
                }
            }
            for (String ref : have) {
                if (!want.contains(ref)) {
                    extra.add(new SetOp(environmentId, slot.contextHash(), slot.list(), ref, false));
                }
            }
        }
        return new MembershipDiff(List.copyOf(missing), List.copyOf(extra), Set.copyOf(wrongType));
    }

    public boolean isEmpty() {
        return missing.isEmpty() && extra.isEmpty() && wrongType.isEmpty();
    }

    /** The operations that repair the store, once the wrong-type keys are deleted. */
    public List<SetOp> repairOps() {
        List<SetOp> ops = new ArrayList<>(missing);
        ops.addAll(extra);
        return ops;
    }
}
