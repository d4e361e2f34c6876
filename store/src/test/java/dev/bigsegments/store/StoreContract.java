package dev.bigsegments.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.testkit.Evaluation;
import dev.bigsegments.testkit.MembershipStoreContractTest;
import dev.bigsegments.testkit.SdkProbe;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

    /**
     * {@link MembershipStore#stampWhileFilled} stamps only while every partition's marker names the group; the SDK
     * reads the store stale until it does, and an item or key the store writes to guard the stamp does not change
     * that.
     */
    @Test
    void theStampIsWrittenOnlyWhileEveryPartitionIsFilledByTheGroup() throws Exception {
        List<Integer> partitions = List.of(0, 1, 2);
        apply(store, List.of(op(ENV_A, "user1", MemberList.INCLUDED, REF, true)));
        SdkProbe probe = probe(prefixA);
        store.markFilled(ENV_A, List.of(0, 1), "group");
        assertThat(store.stampWhileFilled(ENV_A, System.currentTimeMillis(), partitions, "group"))
                .as("partition 2 is not filled").isFalse();
        assertEventually(probe, "user1", Evaluation.stale(true));

        store.markFilled(ENV_A, List.of(2), "group");
        assertThat(store.stampWhileFilled(ENV_A, System.currentTimeMillis(), partitions, "group")).isTrue();
        assertEventually(probe, "user1", Evaluation.healthy(true));

        store.clearSynchronizedOn(ENV_A);
        store.markFilled(ENV_A, List.of(1), "another-group");
        assertThat(store.stampWhileFilled(ENV_A, System.currentTimeMillis(), partitions, "group"))
                .as("partition 1 is another group's").isFalse();
        assertEventually(probe, "user1", Evaluation.stale(true));
    }

    @Override
    protected boolean isTransient(Throwable failure) {
        return failure instanceof StoreWriteException e && e.transientFailure();
    }
}
