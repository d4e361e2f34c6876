package dev.bigsegments.processor.topology;

import static dev.bigsegments.processor.topology.TopologyHarness.hashes;
import static dev.bigsegments.processor.topology.TopologyHarness.keys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.processor.state.MemberValue;
import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.processor.state.WorkItem;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.DeleteSegment;
import dev.bigsegments.schemas.avro.ImportBegin;
import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.ImportCommit;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.IngestStats;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MemberOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.BytesDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Imports stage whole chunks; applying marks the members an import includes with its epoch and keeps the ones it
 * finds already included apart ({@link ListedKeys}); duplicates and a replace's removals come from both. Slices of
 * 50 keys over chunks of 37 put cursors mid-chunk.
 */
class ImportListingTest {
    private static final int SLICE = 50;
    private final TopologyHarness h = TopologyHarness.withSlices(SLICE);

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aReplaceWithDuplicatesKeepsUnchangedMembersRemovesMissingOnesAndCountsEveryDuplicate() {
        h.create("s");
        h.importKeys("s", "imp-1", ImportMode.REPLACE, keys("u", 0, 600), 37, true);
        h.runBackgroundWork();
        h.change("s", MemberList.EXCLUDED, MemberOp.ADD, "u3", "w1");
        long before = h.membershipRecords;

        h.importKeys("s", "imp-2", ImportMode.REPLACE, TopologyHarness.listWithDuplicates(), 37, true);
        h.runBackgroundWork();

        assertThat(h.included("s", 1)).isEqualTo(hashes(keys("u", 300, 900)));
        assertThat(h.excluded("s", 1)).isEqualTo(hashes(List.of("u3", "w1")));
        h.assertComplete("imp-2", 600, 52, 300, 300);
        ImportStatus status = h.importStatus.get("imp-2");
        // 600 file keys, then every member of the generation: 600 + 300 added + w1 (excluded only).
        assertThat(status.getProcessed()).isEqualTo(status.getToProcess()).isEqualTo(600 + 901);
        assertThat(h.membershipRecords - before).as("the 300 unchanged members emit nothing").isEqualTo(600);
        // u300..u899, w1, and u3 which left the included list but stays excluded.
        assertThat(h.definitions.get("s").getMembers()).isEqualTo(602);
        assertThat(stagingRecords()).isZero();
    }

    @Test
    void aMergeCountsKeysRepeatedAcrossChunksAsDuplicatesAndStagesAChunkSentTwiceOnce() {
        h.create("s");
        h.send("s", "imp-1:begin", new ImportBegin("imp-1", ImportMode.MERGE, "list.csv"));
        ImportChunk first = chunk("imp-1", 0, keys("u", 0, 40));
        h.send("s", "imp-1:0", first);
        h.send("s", "imp-1:0-again", first);
        List<String> second = new ArrayList<>(keys("u", 40, 80));
        second.addAll(keys("u", 0, 5));
        h.send("s", "imp-1:1", chunk("imp-1", 1, second));
        assertThat(h.importStatus.get("imp-1").getKeysStaged() + h.importStatus.get("imp-1").getDuplicates())
                .as("every key of the two chunks is accounted for while staging").isEqualTo(85);
        h.send("s", "imp-1:commit", new ImportCommit("imp-1", 2L, new IngestStats(85L, 0L, 0L, new ArrayList<>())));
        h.runBackgroundWork();

        assertThat(h.included("s", 1)).isEqualTo(hashes(keys("u", 0, 80)));
        ImportStatus status = h.importStatus.get("imp-1");
        assertThat(status.getStatus()).isEqualTo(ImportState.COMPLETE);
        assertThat(status.getKeysStaged()).isEqualTo(80);
        assertThat(status.getDuplicates()).isEqualTo(5);
        assertThat(status.getAdded()).isEqualTo(80);
        assertThat(status.getProcessed()).isEqualTo(status.getToProcess()).isEqualTo(80);
    }

    @Test
    void aChunkLargerThanOneStagingRecordIsStagedInPiecesAndAppliedWhole() {
        h.create("s");
        List<String> keys = keys("u", 0, StagedChunks.PIECE_DIGESTS + 300);
        h.importKeys("s", "imp-1", ImportMode.MERGE, keys, keys.size(), false);
        assertThat(stagingRecords()).isEqualTo(2);
        h.send("s", "imp-1:commit", new ImportCommit("imp-1", 1L,
                new IngestStats((long) keys.size(), 0L, 0L, new ArrayList<>())));
        h.runBackgroundWork();
        assertThat(h.included("s", 1)).isEqualTo(hashes(keys));
        assertThat(h.importStatus.get("imp-1").getAdded()).isEqualTo(keys.size());
        assertThat(stagingRecords()).isZero();
    }

    @Test
    void aReplaceWithAnEmptyFileEmptiesTheIncludedListAndKeepsTheExcludedOne() {
        h.create("s");
        h.importKeys("s", "imp-1", ImportMode.MERGE, keys("u", 0, 120), 40, true);
        h.runBackgroundWork();
        h.change("s", MemberList.EXCLUDED, MemberOp.ADD, "u7");
        h.importKeys("s", "imp-2", ImportMode.REPLACE, List.of(), 40, true);
        h.runBackgroundWork();
        assertThat(h.included("s", 1)).isEmpty();
        assertThat(h.excluded("s", 1)).isEqualTo(hashes(List.of("u7")));
        assertThat(h.importStatus.get("imp-2").getRemoved()).isEqualTo(120);
        assertThat(h.definitions.get("s").getMembers()).isEqualTo(1);
    }

    @Test
    void membersAnImportListsAgainUnchangedCostNoMembersChangelogRecord() {
        h.create("s");
        h.importKeys("s", "imp-1", ImportMode.MERGE, keys("u", 0, 600), 37, true);
        h.runBackgroundWork();
        assertThat(h.driver.producedTopicNames()).as("the listed keys are not logged")
                .contains(MEMBERS_CHANGELOG)
                .doesNotContain("topology-test-" + SegmentTopology.LISTED_STORE + "-changelog");
        TestOutputTopic<Bytes, byte[]> changelog = h.driver.createOutputTopic(MEMBERS_CHANGELOG,
                new BytesDeserializer(), new ByteArrayDeserializer());
        changelog.readRecordsToList();

        h.importKeys("s", "imp-2", ImportMode.REPLACE, keys("u", 10, 610), 37, true);
        h.runBackgroundWork();

        assertThat(h.included("s", 1)).isEqualTo(hashes(keys("u", 10, 610)));
        byte[] prefix = StateKeys.membersPrefix(new SegmentId(TopologyHarness.ENV, "s"), 1);
        List<Bytes> memberRecords = changelog.readKeyValuesToList().stream().map(kv -> kv.key)
                .filter(k -> k.get().length == prefix.length + ContextHashes.DIGEST_BYTES
                        && Arrays.equals(prefix, Arrays.copyOf(k.get(), prefix.length)))
                .toList();
        assertThat(memberRecords).as("10 members added and 10 removed; the 590 listed again are not written")
                .hasSize(20);
    }

    @Test
    void aDeltaOnAMemberKeepsTheMarkOfTheImportThatIncludedIt() {
        h.create("s");
        h.importKeys("s", "imp-1", ImportMode.MERGE, keys("u", 0, 10), 10, true);
        h.runBackgroundWork();
        long mark = MemberValue.mark(member("u1"));
        assertThat(mark).isNotEqualTo(MemberValue.NO_MARK);
        h.change("s", MemberList.EXCLUDED, MemberOp.ADD, "u1");
        assertThat(MemberValue.mark(member("u1"))).isEqualTo(mark);
        h.change("s", MemberList.INCLUDED, MemberOp.ADD, "v1");
        assertThat(MemberValue.mark(member("v1"))).isEqualTo(MemberValue.NO_MARK);
    }

    @Test
    void eachImportOfAGenerationGetsANewEpochAndACleanedGenerationLeavesNoState() {
        h.create("s");
        h.importKeys("s", "imp-1", ImportMode.MERGE, keys("u", 0, 10), 10, true);
        long first = epochOf("imp-1");
        h.runBackgroundWork();
        h.importKeys("s", "imp-2", ImportMode.MERGE, keys("u", 0, 10), 10, true);
        assertThat(epochOf("imp-2")).isGreaterThan(first);
        h.runBackgroundWork();
        assertThat(h.importStatus.get("imp-2").getDuplicates()).isZero();
        assertThat(h.importStatus.get("imp-2").getAdded()).isZero();

        h.send("s", new DeleteSegment());
        h.runBackgroundWork();
        try (var all = members().all()) {
            assertThat(all.hasNext()).isFalse();
        }
        try (var all = h.driver.<Bytes, byte[]>getKeyValueStore(SegmentTopology.LISTED_STORE).all()) {
            assertThat(all.hasNext()).as("no import is applied, so no key is listed").isFalse();
        }
    }

    private long epochOf(String importId) {
        KeyValueStore<String, byte[]> work = h.driver.getKeyValueStore(SegmentTopology.WORK_STORE);
        return WorkItem.fromBytes(work.get(WorkItem.idOfImport(importId))).epoch();
    }

    @Test
    void anImportQueuedByThePreviousStagingLayoutIsStoppedAndChangesNothing() {
        h.create("s");
        h.change("s", MemberList.INCLUDED, MemberOp.ADD, "a");
        h.importKeys("s", "imp-1", ImportMode.REPLACE, keys("u", 0, 20), 10, false);
        KeyValueStore<String, byte[]> work = h.driver.getKeyValueStore(SegmentTopology.WORK_STORE);
        byte[] current = work.get("import:imp-1");
        // The previous layout ended at the cursor: no epoch.
        work.put("import:imp-1", Arrays.copyOf(current, current.length - Long.BYTES));
        assertThat(WorkItem.fromBytes(work.get("import:imp-1")).epoch()).isEqualTo(WorkItem.LEGACY_EPOCH);

        h.send("s", "imp-1:after-upgrade", chunk("imp-1", 2, keys("u", 20, 30)));
        h.driver.advanceWallClockTime(Duration.ofMillis(100));
        h.runBackgroundWork();

        assertThat(h.importStatus.get("imp-1").getStatus()).isEqualTo(ImportState.STOPPED);
        assertThat(h.importStatus.get("imp-1").getError()).contains("upgrade");
        assertThat(h.definitions.get("s").getActiveImportId()).isNull();
        assertThat(work.get("import:imp-1")).isNull();
        assertThat(stagingRecords()).isZero();
        assertThat(h.included("s", 1)).isEqualTo(hashes(List.of("a")));
    }

    private byte[] member(String key) {
        byte[] prefix = StateKeys.membersPrefix(new SegmentId(TopologyHarness.ENV, "s"), 1);
        return members().get(StateKeys.withDigest(prefix, ContextHashes.digest(key)));
    }

    private static final String MEMBERS_CHANGELOG = "topology-test-" + SegmentTopology.MEMBERS_STORE + "-changelog";

    private static ImportChunk chunk(String importId, long seq, List<String> keys) {
        List<ContextHash> hashes = new ArrayList<>();
        keys.forEach(k -> hashes.add(TopologyHarness.hash(k)));
        return new ImportChunk(importId, seq, hashes, List.of());
    }

    private KeyValueStore<Bytes, byte[]> members() {
        return h.driver.getKeyValueStore(SegmentTopology.MEMBERS_STORE);
    }

    private long stagingRecords() {
        long n = 0;
        try (var all = h.driver.<Bytes, byte[]>getKeyValueStore(SegmentTopology.STAGING_STORE).all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }
}
