package dev.bigsegments.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What shard 0 publishes from the shards' reports. */
class ShardReportsTest {
    private static final Instant T = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void anImportIsCompleteOnlyWhenEveryShardReportedItComplete() {
        ImportStatus done = status(ImportState.COMPLETE, 100, 10, null);
        ImportStatus total = ShardReports.sum(done, Arrays.asList(done, done, null));
        assertThat(total.getStatus()).as("shard 2 has not reported").isEqualTo(ImportState.IN_PROGRESS);

        total = ShardReports.sum(done, List.of(done, status(ImportState.IN_PROGRESS, 50, 0, null), done));
        assertThat(total.getStatus()).isEqualTo(ImportState.IN_PROGRESS);

        total = ShardReports.sum(done, List.of(done, done, status(ImportState.COMPLETE, 30, 5, null)));
        assertThat(total.getStatus()).isEqualTo(ImportState.COMPLETE);
        assertThat(total.getAdded()).isEqualTo(230);
        assertThat(total.getRemoved()).isEqualTo(25);
        assertThat(total.getKeysStaged()).isEqualTo(230);
        assertThat(total.getChunksStaged()).as("every shard sees every chunk").isEqualTo(4);
        assertThat(total.getError()).isNull();
    }

    @Test
    void anImportStoppedByAnyShardIsStoppedWithTheReasonOfTheShardThatRefused() {
        ImportStatus byVote = status(ImportState.STOPPED, 0, 0,
                ShardReports.BY_ANOTHER_SHARD + "2 of 3 could not apply the import, so no shard applied it: missing");
        ImportStatus refused = status(ImportState.STOPPED, 0, 0, "missing chunk(s) [3]");
        ImportStatus total = ShardReports.sum(byVote, List.of(byVote, byVote, refused));
        assertThat(total.getStatus()).isEqualTo(ImportState.STOPPED);
        assertThat(total.getError()).isEqualTo("shard 2 of 3: missing chunk(s) [3]");

        total = ShardReports.sum(byVote, Arrays.asList(byVote, status(ImportState.PREPARING, 0, 0, null), null));
        assertThat(total.getStatus()).isEqualTo(ImportState.STOPPED);
        assertThat(total.getError()).startsWith(ShardReports.BY_ANOTHER_SHARD + "2 of 3");
    }

    @Test
    void aSegmentsMembersAreTheSumOfItsShardsAndItIsBusyWhileAnyShardIs() {
        SegmentDefinition idle = definition(2, 40, null);
        SegmentDefinition busy = definition(2, 60, "import-1");
        SegmentDefinition behind = definition(1, 1_000, "import-0");
        SegmentDefinition total = ShardReports.sum(idle, List.of(idle, busy, behind));
        assertThat(total.getMembers()).as("a shard still on the old generation does not count").isEqualTo(100);
        assertThat(total.getActiveImportId()).isEqualTo("import-1");
        assertThat(total.getGeneration()).isEqualTo(2);

        total = ShardReports.sum(idle, List.of(idle, idle, definition(2, 1, null)));
        assertThat(total.getMembers()).isEqualTo(81);
        assertThat(total.getActiveImportId()).isNull();
    }

    private static ImportStatus status(ImportState state, long added, long removed, String error) {
        return ImportStatus.newBuilder().setImportId("import-1").setEnvironmentId("env").setSegmentKey("seg")
                .setMode(ImportMode.REPLACE).setStatus(state).setCreationTime(T).setUpdatedAt(T).setChunksStaged(4)
                .setKeysStaged(added).setDuplicates(0).setToProcess(added + removed).setProcessed(added + removed)
                .setAdded(added).setRemoved(removed).setError(error).build();
    }

    private static SegmentDefinition definition(int generation, long members, String activeImport) {
        return SegmentDefinition.newBuilder().setEnvironmentId("env").setSegmentKey("seg").setName("seg")
                .setContextKind("user").setGeneration(generation).setDeleted(false).setMembers(members)
                .setActiveImportId(activeImport).setUpdatedAt(T).build();
    }
}
