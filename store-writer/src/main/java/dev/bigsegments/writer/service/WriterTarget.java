package dev.bigsegments.writer.service;

import dev.bigsegments.store.MembershipStore;
import dev.bigsegments.store.writer.WriterRuntime;
import java.util.Optional;

/**
 * A store this service writes to (Redis or DynamoDB), as health checks see it: empty when that writer is disabled.
 * (The operator commands have their own view of a store, {@code dev.bigsegments.cli.store.StoreTarget}.)
 */
public interface WriterTarget {
    Optional<WriterRuntime> runtime();

    Optional<? extends MembershipStore> store();
}
