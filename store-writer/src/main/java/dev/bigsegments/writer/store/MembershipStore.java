package dev.bigsegments.writer.store;

import java.util.List;

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

    /** Records that the store holds everything known for the environment as of {@code unixMs}. */
    void stampSynchronizedOn(String environmentId, long unixMs);

    /** Whether the store answers right now; for readiness checks, never throws. */
    boolean isReachable();

    /** Where this store writes, without credentials; for logs and metric tags. */
    String describe();

    @Override
    void close();
}
