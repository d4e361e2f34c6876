package dev.bigsegments.store.writer;

import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.MembershipState;

/**
 * One membership record as the writer applies it.
 *
 * @param state the context's lists, null for a tombstone (in neither list)
 * @param changed which list(s) the record changed
 * @param refill the record refills a store that lost its data: every list it holds is added, as in a rebuild
 */
public record MembershipRecord(MembershipKey key, MembershipState state, ChangedList changed, boolean refill) {

    public MembershipRecord asRefill() {
        return refill ? this : new MembershipRecord(key, state, changed, true);
    }
}
