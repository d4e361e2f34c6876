package dev.bigsegments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.processor.StreamProcessor;
import dev.bigsegments.processor.topology.ProcessorSettings;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.TopicSetup;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.DeleteSegment;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MemberOp;
import dev.bigsegments.schemas.avro.MembershipChange;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.kafka.CompactedTopicView;
import dev.bigsegments.testkit.FixtureProducer;
import dev.bigsegments.testkit.MembershipTopicContents;
import dev.bigsegments.testkit.SegmentCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code shards migrate} between two real stream processors: state kept with one shard per segment under one
 * application id, moved to a new application id with 4 shards, which then goes on from there exactly.
 */
class ShardsMigrateCommandTest {
    private static final String REGISTRY = "mock://shards-migrate";
    private static final Map<String, Object> SERDE = Map.of("schema.registry.url", REGISTRY);
    private static final TopicNames TOPICS = TopicNames.namespaced("migrate");
    private static final String ENVIRONMENT = "env-migrate";
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(null);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensureTopics(admin, TOPICS, 4, (short) 1);
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void aProcessorMovedToShardsGoesOnExactlyWhereTheOldOneStopped() throws Exception {
        SegmentId kept = new SegmentId(ENVIRONMENT, "kept");
        SegmentId gone = new SegmentId(ENVIRONMENT, "gone");
        try (FixtureProducer<byte[], SegmentCommand> producer = new FixtureProducer<>(kafka.bootstrapServers(),
                new ByteArraySerializer(), Topics.COMMANDS.valueSerializer(SERDE));
                CompactedTopicView<ImportStatus> imports = view(TOPICS.imports(), Topics.IMPORTS);
                CompactedTopicView<SegmentDefinition> segments = view(TOPICS.segments(), Topics.SEGMENTS)) {
            SegmentCommands commands = new SegmentCommands(producer, TOPICS.commands());
            try (StreamProcessor old = StreamProcessor.start(options("migrate-old", 1))) {
                commands.send(kept, "kept:create", new CreateSegment("kept", "user", null));
                commands.replace(kept, "before", 0, 3_000);
                awaitComplete(imports, "before");
                commands.send(kept, "kept:exclude", new MembershipChange(List.of(new MemberChange(
                        MemberList.EXCLUDED, MemberOp.ADD, new ContextHash(ContextHashes.digest("excluded")), null))));
                commands.send(gone, "gone:create", new CreateSegment("gone", "user", null));
                commands.send(gone, "gone:delete", new DeleteSegment());
                await().atMost(Duration.ofMinutes(1)).until(() -> segments.get(gone.toBytes()),
                        d -> d != null && d.getDeleted() && d.getPendingCleanups().isEmpty());
                await().atMost(Duration.ofMinutes(1)).until(() -> contents().excluded(ENVIRONMENT, "kept.g1").size() == 1);
            }
            CommandRun same = CommandRun.of(migrate("--to-application-id", "migrate-old"));
            assertThat(same.exitCode()).as(same.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(same.err()).contains("must be a new application id");
            // A stopped Kafka Streams member stays in its group until its session times out (15 s).
            CommandRun early = CommandRun.of(migrate("--to-application-id", "migrate-new"));
            assertThat(early.exitCode()).as(early.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(early.err()).contains("active member(s): stop the stream processors");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                await().atMost(Duration.ofMinutes(1)).until(() -> admin.describeConsumerGroups(List.of("migrate-old"))
                        .all().get().get("migrate-old").members().isEmpty());
            }

            CommandRun run = CommandRun.of(migrate("--to-application-id", "migrate-new"));
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("seeded 2 segment definition(s) in each of 4 shards")
                    .contains("seeded 3001 membership record(s)");
            CommandRun again = CommandRun.of(migrate("--to-application-id", "migrate-other"));
            assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(again.err()).contains("migrate.commands.shards exists");

            assertThat(run.out()).contains("migrate-new is laid out in 4 shards");
            assertThatThrownBy(() -> StreamProcessor.start(options("migrate-new", 2)))
                    .as("the count is fixed by the migration, before the new processor first runs")
                    .hasMessageContaining("bigsegments.processor.shards is 2 but application migrate-new has its state"
                            + " laid out in 4 shards");

            try (StreamProcessor sharded = StreamProcessor.start(options("migrate-new", 4))) {
                commands.replace(kept, "after", 1_000, 4_000);
                ImportStatus after = awaitComplete(imports, "after");
                assertThat(after.getAdded()).as("only the keys the old state did not hold").isEqualTo(1_000);
                assertThat(after.getRemoved()).as("the old state's keys the file drops, in every shard")
                        .isEqualTo(1_000);
                MembershipTopicContents truth = contents();
                assertThat(truth.included(ENVIRONMENT, "kept.g1")).isEqualTo(SegmentCommands.hashes(1_000, 4_000));
                assertThat(truth.excluded(ENVIRONMENT, "kept.g1")).containsExactly(ContextHashes.hash("excluded"));
                commands.send(gone, "gone:create-again", new CreateSegment("gone", "user", null));
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                    assertThat(segments.get(gone.toBytes()).getGeneration()).as("the next generation").isEqualTo(2);
                    assertThat(segments.get(kept.toBytes()).getMembers()).isEqualTo(3_001);
                });
            }
        }
    }

    private static MembershipTopicContents contents() {
        return MembershipTopicContents.read(kafka.bootstrapServers(), SERDE, TOPICS.membership());
    }

    private static String[] migrate(String... more) {
        List<String> args = new ArrayList<>(List.of("shards", "migrate", "--bootstrap-servers",
                kafka.bootstrapServers(), "--registry-url", REGISTRY, "--commands-topic", TOPICS.commands(),
                "--membership-topic", TOPICS.membership(), "--segments-topic", TOPICS.segments(), "--imports-topic",
                TOPICS.imports(), "--from-application-id", "migrate-old", "--shards", "4"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static StreamProcessor.Options options(String applicationId, int shards) throws Exception {
        return new StreamProcessor.Options(kafka.bootstrapServers(), applicationId,
                Files.createTempDirectory(applicationId).toString(), 1, 0, TOPICS,
                ProcessorSettings.defaults().withSliceSize(500).withShards(shards), SERDE, Map.of());
    }

    private static <V> CompactedTopicView<V> view(String topic, dev.bigsegments.schemas.Topic<?, V> type) {
        return new CompactedTopicView<>(topic, Map.of("bootstrap.servers", kafka.bootstrapServers()),
                type.valueDeserializer(SERDE));
    }

    private static ImportStatus awaitComplete(CompactedTopicView<ImportStatus> imports, String id) {
        return await().atMost(Duration.ofMinutes(2)).until(() -> imports.get(id.getBytes(StandardCharsets.UTF_8)),
                s -> s != null && s.getStatus() == ImportState.COMPLETE);
    }
}
