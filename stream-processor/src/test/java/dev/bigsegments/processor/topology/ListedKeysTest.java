package dev.bigsegments.processor.topology;

import static dev.bigsegments.processor.topology.TopologyHarness.hashes;
import static dev.bigsegments.processor.topology.TopologyHarness.keys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.processor.state.WorkItem;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ImportMode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The listed keys of an import being applied have no changelog: whenever the set is not exactly the keys before the
 * import's committed cursor (lost with the task's state, or an older copy of it), it is rebuilt from the staged
 * chunks and the import ends exactly as if nothing had happened. One slice per punctuation (no time budget), slices
 * of 50 keys over chunks of 37; a rebuild reads 4 slices' worth at a time, so it must stop mid-read at the cursor.
 */
class ListedKeysTest {
    private TopologyHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new TopologyHarness(ProcessorSettings.defaults().withSliceSize(50).withSliceBudget(Duration.ZERO)
                .withAbandonAfter(Duration.ofMinutes(5)));
        h.create("s");
        h.importKeys("s", "imp-1", ImportMode.REPLACE, keys("u", 0, 600), 37, true);
        h.runBackgroundWork();
        h.importKeys("s", "imp-2", ImportMode.REPLACE, TopologyHarness.listWithDuplicates(), 37, true);
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aSetLostWithTheTasksStateIsRebuiltFromTheStagedChunks() {
        // 5 slices of 50: rebuilding reads 200 keys at a time, and must stop at 250.
        punctuate(5);
        assertThat(phase()).isEqualTo(WorkItem.Phase.APPLY_ADDS);
        assertThat(listed()).isNotEmpty();
        listed().forEach(kv -> store().delete(kv.key));

        h.runBackgroundWork();
        assertTheReplaceIsExact();
    }

    @Test
    void anOlderCopyOfTheSetIsBroughtUpToTheImportsCursor() {
        punctuate(3);
        List<KeyValue<Bytes, byte[]>> older = listed();
        punctuate(6);
        assertThat(phase()).isEqualTo(WorkItem.Phase.APPLY_ADDS);
        assertThat(listed()).hasSizeGreaterThan(older.size());
        listed().forEach(kv -> store().delete(kv.key));
        older.forEach(kv -> store().put(kv.key, kv.value));

        h.runBackgroundWork();
        assertTheReplaceIsExact();
    }

    @Test
    void aSetLostDuringTheRemovalPassIsRebuiltWholeBeforeAnyRemoval() {
        for (int i = 0; i < 100 && phase() != WorkItem.Phase.APPLY_REMOVES; i++) {
            punctuate(1);
        }
        assertThat(phase()).isEqualTo(WorkItem.Phase.APPLY_REMOVES);
        listed().forEach(kv -> store().delete(kv.key));

        h.runBackgroundWork();
        assertTheReplaceIsExact();
    }

    @Test
    void aSetOfAnotherEpochIsEmptiedAndRebuilt() {
        punctuate(4);
        List<KeyValue<Bytes, byte[]>> set = listed();
        KeyValue<Bytes, byte[]> progress = set.get(set.size() - 1);
        assertThat(progress.key.get()[0]).as("progress records sort last").isEqualTo((byte) 2);
        ByteBuffer value = ByteBuffer.wrap(progress.value.clone());
        value.putLong(0, value.getLong(0) + 1000);
        store().put(progress.key, value.array());
        // Keys this import does not list: kept, they would save u0..u49 from the removal pass.
        byte[] prefix = StateKeys.stagingPrefix(new SegmentId(TopologyHarness.ENV, "s"), "imp-2");
        for (String key : keys("u", 0, 50)) {
            store().put(listedKey(prefix, ContextHashes.digest(key)), new byte[0]);
        }

        h.runBackgroundWork();
        assertTheReplaceIsExact();
    }

    @Test
    void theSetOfAnImportWithNoWorkHereIsDropped() {
        h.runBackgroundWork();
        byte[] gone = StateKeys.stagingPrefix(new SegmentId(TopologyHarness.ENV, "s"), "imp-gone");
        Bytes progressKey = Bytes.wrap(ByteBuffer.allocate(1 + gone.length).put((byte) 2).put(gone).array());
        store().put(progressKey, ByteBuffer.allocate(9).putLong(7).put((byte) 1).array());
        for (int i = 0; i < 120; i++) {
            store().put(listedKey(gone, ByteBuffer.allocate(32).putInt(i).array()), new byte[0]);
        }

        punctuate(4);
        assertThat(listed()).isEmpty();
    }

    private void assertTheReplaceIsExact() {
        assertThat(h.included("s", 1)).isEqualTo(hashes(keys("u", 300, 900)));
        h.assertComplete("imp-2", 600, 52, 300, 300);
        assertThat(h.definitions.get("s").getMembers()).isEqualTo(600);
        assertThat(listed()).as("the set goes with the import").isEmpty();
    }

    private static Bytes listedKey(byte[] stagingPrefix, byte[] digest) {
        return Bytes.wrap(ByteBuffer.allocate(1 + stagingPrefix.length + digest.length).put((byte) 1).put(stagingPrefix)
                .put(digest).array());
    }

    private void punctuate(int times) {
        for (int i = 0; i < times; i++) {
            h.driver.advanceWallClockTime(Duration.ofMillis(100));
            h.drain();
        }
    }

    private WorkItem.Phase phase() {
        KeyValueStore<String, byte[]> work = h.driver.getKeyValueStore(SegmentTopology.WORK_STORE);
        return WorkItem.fromBytes(work.get(WorkItem.idOfImport("imp-2"))).phase();
    }

    private KeyValueStore<Bytes, byte[]> store() {
        return h.driver.getKeyValueStore(SegmentTopology.LISTED_STORE);
    }

    private List<KeyValue<Bytes, byte[]>> listed() {
        List<KeyValue<Bytes, byte[]>> all = new ArrayList<>();
        try (var it = store().all()) {
            it.forEachRemaining(all::add);
        }
        return all;
    }
}
