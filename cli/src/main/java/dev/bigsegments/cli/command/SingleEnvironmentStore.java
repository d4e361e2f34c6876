package dev.bigsegments.cli.command;

import dev.bigsegments.writer.store.MembershipStore;
import dev.bigsegments.writer.store.SetOp;
import java.util.List;

/**
 * A store that takes the operations of one environment and drops the rest: a rebuild fills one
 * environment's target, while the membership topic carries every environment.
 */
final class SingleEnvironmentStore implements MembershipStore {
    private final String environmentId;
    private final MembershipStore store;

    SingleEnvironmentStore(String environmentId, MembershipStore store) {
        this.environmentId = environmentId;
        this.store = store;
    }

    @Override
    public void apply(List<SetOp> ops) {
        store.apply(ours(ops));
    }

    @Override
    public Sent send(List<SetOp> ops) {
        return store.send(ours(ops));
    }

    private List<SetOp> ours(List<SetOp> ops) {
        return ops.stream().filter(op -> op.environmentId().equals(environmentId)).toList();
    }

    @Override
    public void stampSynchronizedOn(String environment, long unixMs) {
        store.stampSynchronizedOn(environment, unixMs);
    }

    @Override
    public boolean isReachable() {
        return store.isReachable();
    }

    @Override
    public String describe() {
        return store.describe();
    }

    /** The wrapped store belongs to the caller. */
    @Override
    public void close() {
    }
}
