package dev.bigsegments.store;

import dev.bigsegments.testkit.MembershipStoreContractTest;
import java.util.List;
import java.util.Map;

/**
 * The writer contract ({@link MembershipStoreContractTest}) for any {@link MembershipStore}: how the suite's
 * operations reach a store of this library. Each store's test adds only how to start it and read it back.
 */
public abstract class StoreContract<S extends MembershipStore> extends MembershipStoreContractTest<S> {

    @Override
    protected void apply(S store, List<Op> ops) {
        store.apply(ops.stream()
                .map(o -> new SetOp(o.environmentId(), o.contextHash(), o.list(), o.segmentRef(), o.add()))
                .toList());
    }

    @Override
    protected void stamp(S store, String environmentId, long unixMs) {
        store.stampSynchronizedOn(environmentId, unixMs);
    }

    @Override
    protected void clearStamp(S store, String environmentId) {
        store.clearSynchronizedOn(environmentId);
    }

    @Override
    protected Map<Integer, String> fillMarkers(S store, String environmentId, List<Integer> partitions) {
        return store.fillMarkers(environmentId, partitions);
    }

    @Override
    protected void markFilled(S store, String environmentId, List<Integer> partitions, String group) {
        store.markFilled(environmentId, partitions, group);
    }

    @Override
    protected boolean isTransient(Throwable failure) {
        return failure instanceof StoreWriteException e && e.transientFailure();
    }
}
