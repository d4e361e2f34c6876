package dev.bigsegments.processor.topology;

import static dev.bigsegments.processor.topology.TopologyHarness.hashes;
import static dev.bigsegments.processor.topology.TopologyHarness.keys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.avro.DeleteSegment;
import dev.bigsegments.schemas.avro.ImportAbort;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.IngestStats;
import dev.bigsegments.schemas.avro.Rejection;
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MemberOp;
import dev.bigsegments.schemas.avro.MembershipChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SegmentTopologyTest {
    private static final int SLICE = 50;
    private final TopologyHarness h = TopologyHarness.withSlices(SLICE);

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aNewSegmentStartsAtGenerationOneWithNoMembers() {
        h.create("s");
        assertThat(h.definitions.get("s").getGeneration()).isEqualTo(1);
        assertThat(h.membershipRecords).isZero();
    }

    @Test
    void aDeltaEmitsOnlyRealChanges() {
        h.create("s");
        h.change("s", MemberList.INCLUDED, MemberOp.ADD, "a", "b");
        h.change("s", MemberList.INCLUDED, MemberOp.ADD, "a");
        h.change("s", MemberList.INCLUDED, MemberOp.REMOVE, "zzz");
        assertThat(h.membershipRecords).isEqualTo(2);
        assertThat(h.included("s", 1)).isEqualTo(hashes(List.of("a", "b")));
        h.change("s", MemberList.INCLUDED, MemberOp.REMOVE, "a");
        assertThat(h.included("s", 1)).isEqualTo(hashes(List.of("b")));
        assertThat(h.membershipRecords).isEqualTo(3);
    }

    @Test
    void aCommandDeliveredTwiceIsAppliedOnce() {
        h.create("s");
        MembershipChange add = new MembershipChange(List.of(
                new MemberChange(MemberList.INCLUDED, MemberOp.ADD, TopologyHarness.hash("a"), null)));
        MembershipChange remove = new MembershipChange(List.of(
                new MemberChange(MemberList.INCLUDED, MemberOp.REMOVE, TopologyHarness.hash("a"), null)));
        h.send("s", "cmd-add", add);
        h.send("s", "cmd-remove", remove);
        h.send("s", "cmd-add", add);
        assertThat(h.included("s", 1)).isEmpty();
    }

    @Test
    void bothListsAreTrackedAndALeavingContextBecomesATombstone() {
        h.create("s");
        h.change("s", MemberList.INCLUDED, MemberOp.ADD, "a");
        h.change("s", MemberList.EXCLUDED, MemberOp.ADD, "a", "b");
        assertThat(h.included("s", 1)).isEqualTo(hashes(List.of("a")));
        assertThat(h.excluded("s", 1)).isEqualTo(hashes(List.of("a", "b")));
        h.change("s", MemberList.INCLUDED, MemberOp.REMOVE, "a");
        h.change("s", MemberList.EXCLUDED, MemberOp.REMOVE, "a", "b");
        assertThat(h.truth).isEmpty();
    }

    @Test
    void rawKeysFromDirectProducersAreHashedFirst() {
        h.create("s");
        h.send("s", new MembershipChange(List.of(new MemberChange(MemberList.INCLUDED, MemberOp.ADD, null, "user-key"))));
        assertThat(h.included("s", 1)).containsExactly("CEXjZY7cHJG/ydFy7q4+YEFwVrG3/pkJwA4FAjrbfx0=");
    }

    @Test
    void changesToAMissingSegmentAreDropped() {
        h.change("nope", MemberList.INCLUDED, MemberOp.ADD, "a");
        assertThat(h.truth).isEmpty();
    }

    @Test
    void nothingOfAnImportIsVisibleBeforeItsCommit() {
        h.create("s");
        h.importKeys("s", "imp-1", ImportMode.MERGE, keys("u", 0, 200), 30, false);
        h.runBackgroundWork();
        assertThat(h.truth).isEmpty();
        assertThat(h.importStatus.get("imp-1").getStatus()).isEqualTo(ImportState.PREPARING);
        assertThat(h.importStatus.get("imp-1").getKeysStaged()).isEqualTo(200);
    }

    @Test
    void aMergeImportAddsItsKeysAndCountsDuplicates() {
        h.create("s");
        h.change("s", MemberList.INCLUDED, MemberOp.ADD, "keep-me");
        List<String> keys = new ArrayList<>(keys("u", 0, 120));
        keys.addAll(keys("u", 0, 10));
        h.importKeys("s", "imp-1", ImportMode.MERGE, keys, 25, true);
        h.runBackgroundWork();
        Set<String> expected = hashes(keys);
        expected.add(ContextHashes.hash("keep-me"));
        assertThat(h.included("s", 1)).isEqualTo(expected);
        var status = h.importStatus.get("imp-1");
        assertThat(status.getStatus()).isEqualTo(ImportState.COMPLETE);
        assertThat(status.getAdded()).isEqualTo(120);
        assertThat(status.getDuplicates()).isEqualTo(10);
        assertThat(h.definitions.get("s").getActiveImportId()).isNull();
    }

    @Test
    void aReplaceWhoseRemovalsSpanManySlicesLeavesExactlyTheFile() {
        h.create("s");
        h.importKeys("s", "imp-1", ImportMode.REPLACE, keys("u", 0, 1_000), 100, true);
        h.runBackgroundWork();
        assertThat(h.included("s", 1)).isEqualTo(hashes(keys("u", 0, 1_000)));
        h.change("s", MemberList.EXCLUDED, MemberOp.ADD, "u1");
        long before = h.membershipRecords;

        List<String> second = keys("u", 900, 1_900);
        h.importKeys("s", "imp-2", ImportMode.REPLACE, second, 100, true);
        h.runBackgroundWork();

        assertThat(h.included("s", 1)).isEqualTo(hashes(second));
        assertThat(h.excluded("s", 1)).isEqualTo(hashes(List.of("u1")));
        var status = h.importStatus.get("imp-2");
        assertThat(status.getStatus()).isEqualTo(ImportState.COMPLETE);
        assertThat(status.getAdded()).isEqualTo(900);
        assertThat(status.getRemoved()).isEqualTo(900);
        assertThat(status.getProcessed()).isEqualTo(status.getToProcess()).isEqualTo(1_000 + 1_900);
        assertThat(h.membershipRecords - before).isEqualTo(1_800);
        assertThat(h.hasWork()).isFalse();
    }

    @Test
    void anAbortedImportChangesNothingAndFreesTheSegment() {
        h.create("s");
        h.change("s", MemberList.INCLUDED, MemberOp.ADD, "a");
        h.importKeys("s", "imp-1", ImportMode.REPLACE, keys("u", 0, 100), 10, false);
        h.send("s", new ImportAbort("imp-1", "too many rejected rows", new IngestStats(1_200L, 0L, 1_001L,
                new ArrayList<>(List.of(new Rejection(7L, "empty key"))))));
        h.runBackgroundWork();
        assertThat(h.included("s", 1)).isEqualTo(hashes(List.of("a")));
        assertThat(h.importStatus.get("imp-1").getStatus()).isEqualTo(ImportState.STOPPED);
        assertThat(h.importStatus.get("imp-1").getIngest().getRejections()).extracting(Rejection::getLine)
                .containsExactly(7L);
        assertThat(h.definitions.get("s").getActiveImportId()).isNull();
        assertThat(h.driver.getKeyValueStore(SegmentTopology.STAGING_STORE).approximateNumEntries()).isZero();
    }

    @Test
    void anAbandonedImportIsStoppedAfterItsTimeoutAndChangesNothing() {
        h.create("s");
        h.importKeys("s", "imp-1", ImportMode.REPLACE, keys("u", 0, 100), 10, false);
        h.driver.advanceWallClockTime(Duration.ofMinutes(6));
        h.runBackgroundWork();
        assertThat(h.truth).isEmpty();
        assertThat(h.importStatus.get("imp-1").getStatus()).isEqualTo(ImportState.STOPPED);
        assertThat(h.importStatus.get("imp-1").getError()).contains("abandoned");
    }

    @Test
    void aSecondImportWhileOneRunsIsStopped() {
        h.create("s");
        h.importKeys("s", "imp-1", ImportMode.MERGE, keys("u", 0, 10), 10, false);
        h.importKeys("s", "imp-2", ImportMode.MERGE, keys("v", 0, 10), 10, true);
        h.runBackgroundWork();
        assertThat(h.importStatus.get("imp-2").getStatus()).isEqualTo(ImportState.STOPPED);
        assertThat(h.truth).isEmpty();
    }

    @Test
    void deletingASegmentRemovesItsGenerationAndRecreatingStartsTheNext() {
        h.create("s");
        h.importKeys("s", "imp-1", ImportMode.MERGE, keys("u", 0, 300), 100, true);
        h.runBackgroundWork();
        h.send("s", new DeleteSegment());
        h.runBackgroundWork();
        assertThat(h.truth).isEmpty();
        assertThat(h.definitions.get("s").getDeleted()).isTrue();
        assertThat(h.definitions.get("s").getPendingCleanups()).isEmpty();

        h.create("s");
        assertThat(h.definitions.get("s").getGeneration()).isEqualTo(2);
        h.change("s", MemberList.INCLUDED, MemberOp.ADD, "u1");
        assertThat(h.included("s", 2)).isEqualTo(hashes(List.of("u1")));
        assertThat(h.included("s", 1)).isEmpty();
    }
}
