package dev.bigsegments.writer.service;

import dev.bigsegments.writer.WriterRuntime;
import dev.bigsegments.writer.store.MembershipStore;
import java.util.Optional;

/** A store this application writes to, as health checks see it: empty when the target is disabled. */
public interface StoreTarget {
    Optional<WriterRuntime> runtime();

    Optional<? extends MembershipStore> store();
}
