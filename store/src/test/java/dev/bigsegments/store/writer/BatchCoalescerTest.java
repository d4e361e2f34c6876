package dev.bigsegments.store.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.store.SetOp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCoalescerTest {
    private static final String HASH = ContextHashes.hash("user-key");
    private final List<MembershipRecord> batch = new ArrayList<>();

    @Test
    void liveModeSendsOneOperationPerChangedListAndTheLastRecordOfAKeyWins() {
        add("s.g1", state(true, false, ChangedList.INCLUDED));
        add("s.g1", state(true, true, ChangedList.EXCLUDED));
        add("s.g2", null, "INCLUDED");
        assertThat(new BatchCoalescer(BatchCoalescer.Mode.LIVE).coalesce(batch)).containsExactlyInAnyOrder(
                new SetOp("env", HASH, MemberList.INCLUDED, "s.g1", true),
                new SetOp("env", HASH, MemberList.EXCLUDED, "s.g1", true),
                new SetOp("env", HASH, MemberList.INCLUDED, "s.g2", false));
    }

    @Test
    void aTombstoneThatChangedBothListsRemovesFromBoth() {
        add("s.g1", null, "BOTH");
        assertThat(new BatchCoalescer(BatchCoalescer.Mode.LIVE).coalesce(batch)).containsExactlyInAnyOrder(
                new SetOp("env", HASH, MemberList.INCLUDED, "s.g1", false),
                new SetOp("env", HASH, MemberList.EXCLUDED, "s.g1", false));
    }

    @Test
    void aRefillRecordInALiveBatchAddsEveryListItHoldsAndTheOthersOnlyWhatChanged() {
        add("s.g1", state(true, true, ChangedList.EXCLUDED));
        batch.set(0, batch.get(0).asRefill());
        add("s.g2", state(true, true, ChangedList.EXCLUDED));
        assertThat(new BatchCoalescer(BatchCoalescer.Mode.LIVE).coalesce(batch)).containsExactlyInAnyOrder(
                new SetOp("env", HASH, MemberList.INCLUDED, "s.g1", true),
                new SetOp("env", HASH, MemberList.EXCLUDED, "s.g1", true),
                new SetOp("env", HASH, MemberList.EXCLUDED, "s.g2", true));
    }

    @Test
    void rebuildAddsEveryListARecordHoldsEvenWhenTheRecordChangedAnother() {
        add("s.g1", state(true, true, ChangedList.EXCLUDED));
        assertThat(new BatchCoalescer(BatchCoalescer.Mode.REBUILD).coalesce(batch)).containsExactlyInAnyOrder(
                new SetOp("env", HASH, MemberList.INCLUDED, "s.g1", true),
                new SetOp("env", HASH, MemberList.EXCLUDED, "s.g1", true));
    }

    @Test
    void rebuildRemovesOnlyWhatARecordChangedToAbsent() {
        add("s.g1", state(false, true, ChangedList.BOTH));
        add("s.g2", state(true, false, ChangedList.INCLUDED));
        add("s.g3", null, "EXCLUDED");
        assertThat(new BatchCoalescer(BatchCoalescer.Mode.REBUILD).coalesce(batch)).containsExactlyInAnyOrder(
                new SetOp("env", HASH, MemberList.INCLUDED, "s.g1", false),
                new SetOp("env", HASH, MemberList.EXCLUDED, "s.g1", true),
                new SetOp("env", HASH, MemberList.INCLUDED, "s.g2", true),
                new SetOp("env", HASH, MemberList.EXCLUDED, "s.g3", false));
    }

    private void add(String ref, MembershipState value) {
        add(ref, value, null);
    }

    private void add(String ref, MembershipState value, String tombstoneChanged) {
        MembershipKey key = new MembershipKey("env", ref, ContextHashes.digest("user-key"));
        ChangedList changed = value != null ? value.getChanged() : ChangedList.valueOf(tombstoneChanged);
        batch.add(new MembershipRecord(key, value, changed, false));
    }

    private static MembershipState state(boolean included, boolean excluded, ChangedList changed) {
        return new MembershipState(included, excluded, changed, Instant.EPOCH);
    }
}
