package dev.bigsegments.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.processor.state.WorkItem;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A processor that was down longer than the abandon time while an import was staging must not give the
 * import up as soon as it starts again: the import's remaining chunks and commit may be waiting in the
 * topic. The background work of a restarted task counts the idle time from its own start.
 */
class RestartAbandonTest {
    private static final Duration ABANDON_AFTER = Duration.ofMinutes(5);
    private static final ProcessorSettings SETTINGS = ProcessorSettings.defaults().withAbandonAfter(ABANDON_AFTER);
    private static final SegmentId SEGMENT = new SegmentId("env-1", "s");
    private static final long LAST_CHUNK = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private final MockProcessorContext<Bytes, Object> context = context();
    private final List<StateStore> opened = new ArrayList<>();
    private SegmentStores stores;

    @BeforeEach
    void openStoresWithAnImportStaging() {
        for (StoreBuilder<?> builder : SegmentTopology.stores(SETTINGS.dedupeRetention())) {
            if (!builder.name().equals(SegmentTopology.DEDUPE_STORE)) {
                // (Background work never reads the de-duplication window, whose store needs Streams' internals.)
                StateStore store = builder.withLoggingDisabled().build();
                store.init(context.getStateStoreContext(), store);
                context.addStateStore(store);
                opened.add(store);
            }
        }
        stores = new SegmentStores(store(SegmentTopology.SEGMENTS_STORE), store(SegmentTopology.MEMBERS_STORE),
                store(SegmentTopology.STAGING_STORE), store(SegmentTopology.LISTED_STORE),
                store(SegmentTopology.IMPORTS_STORE), store(SegmentTopology.WORK_STORE), null);
        stores.segments().put(Bytes.wrap(SEGMENT.toBytes()), SegmentDefinition.newBuilder()
                .setEnvironmentId(SEGMENT.environmentId()).setSegmentKey(SEGMENT.segmentKey()).setName("s")
                .setContextKind("user").setGeneration(1).setDeleted(false).setMembers(0)
                .setPendingCleanups(new ArrayList<>()).setActiveImportId("imp")
                .setUpdatedAt(Instant.ofEpochMilli(LAST_CHUNK)).build());
        stores.imports().put("imp", ImportStatus.newBuilder().setImportId("imp")
                .setEnvironmentId(SEGMENT.environmentId()).setSegmentKey(SEGMENT.segmentKey())
                .setMode(ImportMode.REPLACE).setStatus(ImportState.PREPARING)
                .setCreationTime(Instant.ofEpochMilli(LAST_CHUNK)).setUpdatedAt(Instant.ofEpochMilli(LAST_CHUNK))
                .setFileName("list.csv").setChunksStaged(1).setKeysStaged(1).setDuplicates(0).setToProcess(0)
                .setProcessed(0).setAdded(0).setRemoved(0).build());
        WorkItem staging = new WorkItem(WorkItem.Phase.STAGING, SEGMENT, "imp", 1, null);
        stores.work().put(staging.id(), staging.toBytes());
    }

    @AfterEach
    void closeStores() {
        opened.forEach(StateStore::close);
    }

    @Test
    void aTaskStartedLongAfterTheLastChunkGivesTheImportTheWholeAbandonTimeFromItsStart() {
        long restart = LAST_CHUNK + 2 * ABANDON_AFTER.toMillis();
        AtomicLong clock = new AtomicLong(restart);
        BackgroundWork work = startTask(clock);

        work.run(clock.get());
        assertThat(status().getStatus()).as("just restarted after twice the abandon time").isEqualTo(ImportState.PREPARING);
        clock.set(restart + ABANDON_AFTER.toMillis() - 1);
        work.run(clock.get());
        assertThat(status().getStatus()).isEqualTo(ImportState.PREPARING);

        clock.set(restart + ABANDON_AFTER.toMillis());
        work.run(clock.get());
        assertThat(status().getStatus()).as("no chunk for the abandon time since the restart").isEqualTo(ImportState.STOPPED);
        assertThat(status().getError()).isEqualTo("abandoned: no data for " + ABANDON_AFTER.toSeconds() + " s");
    }

    @Test
    void aTaskThatKeepsRunningAbandonsTheImportTheAbandonTimeAfterItsLastChunk() {
        AtomicLong clock = new AtomicLong(LAST_CHUNK);
        BackgroundWork work = startTask(clock);
        clock.set(LAST_CHUNK + ABANDON_AFTER.toMillis());
        work.run(clock.get());
        assertThat(status().getStatus()).isEqualTo(ImportState.STOPPED);
    }

    private BackgroundWork startTask(AtomicLong clock) {
        Emitter emitter = new Emitter(context);
        MemberUpdater updater = new MemberUpdater(stores.members(), emitter, new ListCounts(stores.members(), clock::get));
        return new BackgroundWork(SETTINGS, stores, emitter, updater, clock::get);
    }

    private ImportStatus status() {
        return stores.imports().get("imp");
    }

    private <S extends StateStore> S store(String name) {
        return context.getStateStore(name);
    }

    private static MockProcessorContext<Bytes, Object> context() {
        try {
            Path stateDir = Files.createTempDirectory("restart-abandon");
            Properties config = new Properties();
            config.put(StreamsConfig.APPLICATION_ID_CONFIG, "restart-abandon");
            config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            MockProcessorContext<Bytes, Object> context =
                    new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
            context.setCurrentSystemTimeMs(LAST_CHUNK);
            return context;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
