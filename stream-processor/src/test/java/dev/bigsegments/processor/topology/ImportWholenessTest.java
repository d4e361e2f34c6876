package dev.bigsegments.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.ImportCommit;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.IngestStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An import is applied only when every chunk the sender announced arrived: a chunk lost on the way would
 * otherwise make a replace remove members that were in the file. A chunk sent twice is staged once.
 */
class ImportWholenessTest {
    private static final List<String> BEFORE = TopologyHarness.keys("old-", 0, 30);
    private final TopologyHarness h = TopologyHarness.withSlices(7);

    @BeforeEach
    void segmentWithMembers() {
        h.create("s");
        h.importKeys("s", "first", ImportMode.MERGE, BEFORE, 10, true);
        h.runBackgroundWork();
        assertThat(h.included("s", 1)).isEqualTo(TopologyHarness.hashes(BEFORE));
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aReplaceWithAChunkMissingStopsNamingItAndChangesNothing() {
        begin("imp");
        chunk("imp", 0, TopologyHarness.keys("new-", 0, 10));
        chunk("imp", 2, TopologyHarness.keys("new-", 20, 30));
        commit("imp", 3);
        h.runBackgroundWork();
        ImportStatus status = h.importStatus.get("imp");
        assertThat(status.getStatus()).isEqualTo(ImportState.STOPPED);
        assertThat(status.getError()).contains("announced 3 chunk(s) and 2 arrived").contains("missing chunk(s) [1]");
        assertThat(h.included("s", 1)).isEqualTo(TopologyHarness.hashes(BEFORE));
        assertThat(h.definitions.get("s").getActiveImportId()).isNull();
    }

    @Test
    void aChunkNumberedBeyondTheAnnouncedCountStopsTheImport() {
        begin("imp");
        chunk("imp", 0, TopologyHarness.keys("new-", 0, 10));
        chunk("imp", 5, TopologyHarness.keys("new-", 10, 20));
        commit("imp", 2);
        h.runBackgroundWork();
        ImportStatus status = h.importStatus.get("imp");
        assertThat(status.getStatus()).isEqualTo(ImportState.STOPPED);
        assertThat(status.getError()).contains("missing chunk(s) [1]").contains("chunk(s) [5] beyond the count");
        assertThat(h.included("s", 1)).isEqualTo(TopologyHarness.hashes(BEFORE));
    }

    @Test
    void aChunkSentTwiceIsStagedOnceAndTheImportIsApplied() {
        List<String> keys = TopologyHarness.keys("new-", 0, 20);
        begin("imp");
        chunk("imp", 0, keys.subList(0, 10));
        h.send("s", "retry-with-another-id", new ImportChunk("imp", 0L, hashes(keys.subList(0, 10)), List.of()));
        chunk("imp", 1, keys.subList(10, 20));
        commit("imp", 2);
        h.runBackgroundWork();
        ImportStatus status = h.importStatus.get("imp");
        assertThat(status.getStatus()).isEqualTo(ImportState.COMPLETE);
        assertThat(status.getChunksStaged()).isEqualTo(2);
        assertThat(status.getDuplicates()).isZero();
        assertThat(status.getAdded()).isEqualTo(20);
        assertThat(status.getRemoved()).isEqualTo(30);
        assertThat(h.included("s", 1)).isEqualTo(TopologyHarness.hashes(keys));
    }

    private void begin(String importId) {
        h.send("s", importId + ":begin", new dev.bigsegments.schemas.avro.ImportBegin(importId, ImportMode.REPLACE,
                "list.csv"));
    }

    private void chunk(String importId, long sequence, List<String> keys) {
        h.send("s", importId + ":" + sequence, new ImportChunk(importId, sequence, hashes(keys), List.of()));
    }

    private void commit(String importId, long chunks) {
        h.send("s", importId + ":commit", new ImportCommit(importId, chunks, new IngestStats(0L, 0L, 0L,
                new ArrayList<>())));
    }

    private static List<ContextHash> hashes(List<String> keys) {
        return keys.stream().map(TopologyHarness::hash).toList();
    }
}
