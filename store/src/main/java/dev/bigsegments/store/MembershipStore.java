package dev.bigsegments.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A big-segment store in the layout LaunchDarkly server SDKs read. Implementations are idempotent:
 * applying the same operations again leaves the store as it was, which makes at-least-once delivery safe.
 */
public interface MembershipStore extends AutoCloseable {

    /**
     * Applies the operations; when this returns every one of them is in the store. The operations are
     * coalesced (at most one per environment, context hash, list and ref), so their order does not matter.
     *
     * @throws StoreWriteException if any operation may not have been applied
     */
    void apply(List<SetOp> ops);

    /**
     * Starts applying the operations and returns without waiting for the store to confirm them, so the
     * caller can prepare the next batch meanwhile; {@link Sent#await()} then waits. Batches take effect
     * in the order they are sent. When a batch fails, later batches may or may not have been applied:
     * the caller applies them all again, in order. The default applies synchronously.
     *
     * @throws StoreWriteException if sending failed; earlier unconfirmed batches may then fail too
     */
    default Sent send(List<SetOp> ops) {
        apply(ops);
        return Sent.DONE;
    }

    /** Records that the store holds everything known for the environment as of {@code unixMs}. */
    void stampSynchronizedOn(String environmentId, long unixMs);

    /** Removes the environment's {@code synchronizedOn}: SDKs then report the store stale. */
    void clearSynchronizedOn(String environmentId);

    /**
     * Stamps {@code synchronizedOn} only if every listed partition's fill marker names {@code group}, and says
     * whether it did. A store emptied at any moment while this runs must not be left stamped, not even for an
     * instant: each store makes the stamp conditional on a guard it wrote before reading the markers.
     */
    boolean stampWhileFilled(String environmentId, long unixMs, Collection<Integer> partitions, String group);

    /** Whether every listed partition's marker names {@code group}. */
    static boolean filledBy(Map<Integer, String> markers, Collection<Integer> partitions, String group) {
        return partitions.stream().allMatch(p -> group.equals(markers.get(p)));
    }

    /**
     * The fill markers of the environment's store: for each listed partition of the membership topic, the
     * consumer group that filled that partition's share of the store. A partition never filled, or whose
     * marker the store lost with its data, is absent. Writer-private: SDKs never read them.
     */
    Map<Integer, String> fillMarkers(String environmentId, Collection<Integer> partitions);

    /** Records that {@code group} filled these partitions' share of the environment's store. */
    void markFilled(String environmentId, Collection<Integer> partitions, String group);

    /** Whether the store answers right now; for readiness checks, never throws. */
    boolean isReachable();

    /** Where this store writes, without credentials; for logs and metric tags. */
    String describe();

    @Override
    void close();

    /** A batch handed to the store whose outcome is not known yet. */
    @FunctionalInterface
    interface Sent {
        /** A batch already applied. */
        Sent DONE = () -> {
        };

        /**
         * Returns once every operation of the batch is in the store.
         *
         * @throws StoreWriteException if any operation may not have been applied
         */
        void await();
    }
}
