package dev.bigsegments.cli.store;

import dev.bigsegments.cli.Progress;
import dev.bigsegments.cli.diff.HashSample;
import dev.bigsegments.cli.diff.Memberships;
import dev.bigsegments.cli.diff.Slot;
import dev.bigsegments.store.MembershipStore;
import java.util.Set;

/**
 * One environment's big-segment store as the operator commands see it: the store-writer's own
 * {@link MembershipStore} to write with, plus the reads (and the one clean-up) that writers never need.
 */
public interface StoreTarget extends AutoCloseable {

    /** What the store holds, limited to the sampled hashes, plus the membership slots of the wrong type. */
    record Contents(Memberships memberships, Set<Slot> wrongType) {
    }

    String environment();

    /** The target in words, for output: store, table or database, and prefix. */
    String describe();

    /** The writer of this store, configured for {@link #environment()} only; the caller closes it. */
    MembershipStore openWriter();

    /** Whether any membership exists under the prefix. */
    boolean hasMemberships();

    Contents read(HashSample sample, Progress progress);

    /** Removes the membership slots of the wrong type, which SDKs cannot read and writers cannot update. */
    void deleteWrongType(Set<Slot> slots);

    @Override
    void close();
}
