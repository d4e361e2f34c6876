package dev.bigsegments.cli.shards;

import dev.bigsegments.cli.ExitCodes;
import dev.bigsegments.cli.KafkaOptions;
import dev.bigsegments.cli.Progress;
import dev.bigsegments.cli.kafka.GroupOffsets;
import dev.bigsegments.cli.truth.TopicTruth;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.ShardMessage;
import dev.bigsegments.schemas.Shards;
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
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.kafka.CompactedTopicView;
import dev.bigsegments.schemas.kafka.Offsets;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Prepares a NEW stream processor application id with --shards shards from a stopped processor "
                + "whose state keeps each segment on one task, so that the new one starts where the old one stopped:",
                "1. refuses while the old processor's group has members, while an import is staging or applying, or "
                        + "while an old generation is being cleaned up, and when the new application id was used;",
                "2. creates the shard topic (the commands topic's name and .shards, its partitions and settings);",
                "3. writes to it, for every shard, each segment's definition (its generation, deleted or not) and "
                        + "the memberships of its shard as the compacted membership topic states them;",
                "4. gives the new application id the old one's committed offsets on the commands topic.",
                "Then start the processors with the new application id and bigsegments.processor.shards set to "
                        + "--shards. They apply what step 3 wrote before any later command; the memberships they "
                        + "publish again are the ones the stores hold, and writing them is idempotent."})
public final class ShardsMigrateCommand implements Callable<Integer> {
    /** Member changes per seeded command, well under the commands' size limits. */
    static final int CHANGES_PER_COMMAND = 2_000;
    private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--from-application-id", defaultValue = "bigsegments-processor",
            description = "The stopped processor's application id (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to-application-id", required = true,
            description = "The new processor's application id, never used before.")
    String to;

    @Option(names = "--shards", required = true,
            description = "Shards per segment, 2 to the commands topic's partition count.")
    int shards;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String commands = kafka.topics().commands();
        String shardTopic = Shards.topic(kafka.topics());
        try (Admin admin = Admin.create(kafka.kafkaConfig())) {
            int partitions = Offsets.partitions(admin, commands).size();
            String refusal = refusal(admin, partitions, shardTopic);
            if (refusal != null) {
                err.println("refused: " + refusal);
                return ExitCodes.FAILED;
            }
            List<SegmentDefinition> segments = new ArrayList<>();
            refusal = pendingWork(segments);
            if (refusal != null) {
                err.println("refused: " + refusal);
                return ExitCodes.FAILED;
            }
            TopicSetup.ensureShardTopic(admin, kafka.topics());
            out.printf("created %s (%d partitions)%n", shardTopic, partitions);
            TopicSetup.ensureLayoutTopic(admin, kafka.topics(), to, shards);
            out.printf("created %s: %s is laid out in %d shards%n", Shards.layoutChangelog(to, shards), to, shards);

            Map<String, SegmentDefinition> live = new HashMap<>();
            long seeded;
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                for (SegmentDefinition definition : segments) {
                    SegmentId segment = new SegmentId(definition.getEnvironmentId(), definition.getSegmentKey());
                    for (int shard = 0; shard < shards; shard++) {
                        send(producer, partitions, segment, shard, "create", new CreateSegment(definition.getName(),
                                definition.getContextKind(), definition.getGeneration()));
                        if (definition.getDeleted()) {
                            send(producer, partitions, segment, shard, "delete", new DeleteSegment());
                        }
                    }
                    if (!definition.getDeleted()) {
                        live.put(definition.getEnvironmentId() + "\0" + definition.getSegmentKey() + ".g"
                                + definition.getGeneration(), definition);
                    }
                }
                out.printf("seeded %d segment definition(s) in each of %d shards%n", segments.size(), shards);
                seeded = seedMemberships(producer, partitions, live, err);
                producer.flush();
            }
            out.printf("seeded %d membership record(s) of the live generations%n", seeded);

            List<TopicPartition> commandPartitions = Offsets.partitions(admin, commands);
            Map<TopicPartition, OffsetAndMetadata> offsets = GroupOffsets.committed(admin, from, commandPartitions);
            offsets.values().removeIf(o -> o == null);
            GroupOffsets.alter(admin, to, offsets);
            out.printf("gave group %s the committed offsets of %s on %s (%d partition(s))%n", to, from, commands,
                    offsets.size());
            out.printf("done: start the stream processors with application id %s and bigsegments.processor.shards=%d%n",
                    to, shards);
            return ExitCodes.OK;
        }
    }

    /** Why the move cannot start now, or null. */
    private String refusal(Admin admin, int partitions, String shardTopic) throws InterruptedException,
            ExecutionException {
        if (shards < 2 || shards > partitions) {
            return "--shards must be 2 to " + partitions + " (the partitions of " + kafka.topics().commands() + ")";
        }
        if (from.equals(to)) {
            return "--to-application-id must be a new application id, not " + from;
        }
        int members = GroupOffsets.activeMembers(admin, from);
        if (members > 0) {
            return "the processor's group " + from + " has " + members + " active member(s): stop the stream processors";
        }
        if (admin.listTopics().names().get().contains(shardTopic)) {
            return shardTopic + " exists: a processor with shards used it already";
        }
        if (!admin.listConsumerGroupOffsets(to).partitionsToOffsetAndMetadata().get().isEmpty()) {
            return "application id " + to + " has committed offsets: choose one never used";
        }
        return null;
    }

    /** Reads every segment definition; why the move must wait (an import or a clean-up under way), or null. */
    private String pendingWork(List<SegmentDefinition> segments) throws TimeoutException, InterruptedException {
        List<String> pending = new ArrayList<>();
        try (CompactedTopicView<ImportStatus> imports = new CompactedTopicView<>(kafka.topics().imports(),
                kafka.kafkaConfig(), Topics.IMPORTS.valueDeserializer(kafka.serdeConfig()));
                CompactedTopicView<SegmentDefinition> definitions = new CompactedTopicView<>(kafka.topics().segments(),
                        kafka.kafkaConfig(), Topics.SEGMENTS.valueDeserializer(kafka.serdeConfig()))) {
            imports.awaitCaughtUp(VIEW_TIMEOUT);
            definitions.awaitCaughtUp(VIEW_TIMEOUT);
            for (ImportStatus status : imports.values()) {
                if (status.getStatus() == ImportState.PREPARING || status.getStatus() == ImportState.IN_PROGRESS) {
                    pending.add("import " + status.getImportId() + " is " + status.getStatus());
                }
            }
            for (SegmentDefinition definition : definitions.values()) {
                segments.add(definition);
                if (!definition.getPendingCleanups().isEmpty()) {
                    pending.add("segment " + definition.getEnvironmentId() + "/" + definition.getSegmentKey()
                            + " is cleaning up generation(s) " + definition.getPendingCleanups());
                }
            }
        }
        if (pending.isEmpty()) {
            return null;
        }
        return String.join("; ", pending.subList(0, Math.min(10, pending.size())))
                + (pending.size() > 10 ? " and " + (pending.size() - 10) + " more" : "")
                + ": start the processors again, let that finish (stop ingest first so that no import begins), then"
                + " stop them and run this again";
    }

    /**
     * Every record of the membership topic, in its order, as the member changes that set the same state, batched
     * per (segment, shard): records of one context are in one partition and its changes go to one shard, so the
     * last state of each wins as it did in the topic. Records of generations that are not live are skipped.
     */
    private long seedMemberships(KafkaProducer<byte[], byte[]> producer, int partitions,
            Map<String, SegmentDefinition> live, PrintWriter err) {
        Map<String, List<MemberChange>> batches = new HashMap<>();
        long[] seeded = {0};
        TopicTruth.scan(kafka.kafkaConfig(), kafka.serdeConfig(), kafka.topics().membership(),
                new Progress(err, "memberships", 0), record -> {
                    MembershipKey key = MembershipKey.fromBytes(record.key());
                    SegmentDefinition definition = live.get(key.environmentId() + "\0" + key.segmentRef());
                    if (definition == null) {
                        return;
                    }
                    MembershipState state = record.value();
                    ContextHash hash = new ContextHash(key.digest());
                    String batch = key.environmentId() + "\0" + definition.getSegmentKey() + "\0"
                            + Shards.of(key.digest(), shards);
                    List<MemberChange> changes = batches.computeIfAbsent(batch, b -> new ArrayList<>());
                    changes.add(new MemberChange(MemberList.INCLUDED,
                            state != null && state.getIncluded() ? MemberOp.ADD : MemberOp.REMOVE, hash, null));
                    changes.add(new MemberChange(MemberList.EXCLUDED,
                            state != null && state.getExcluded() ? MemberOp.ADD : MemberOp.REMOVE, hash, null));
                    seeded[0]++;
                    if (changes.size() >= CHANGES_PER_COMMAND) {
                        flush(producer, partitions, batch, batches.remove(batch));
                    }
                });
        batches.forEach((batch, changes) -> flush(producer, partitions, batch, changes));
        return seeded[0];
    }

    private void flush(KafkaProducer<byte[], byte[]> producer, int partitions, String batch, List<MemberChange> changes) {
        String[] parts = batch.split("\0");
        send(producer, partitions, new SegmentId(parts[0], parts[1]), Integer.parseInt(parts[2]),
                "members:" + UUID.randomUUID(), new MembershipChange(changes));
    }

    private void send(KafkaProducer<byte[], byte[]> producer, int partitions, SegmentId segment, int shard,
            String what, Object payload) {
        SegmentCommand command = SegmentCommand.newBuilder()
                .setCommandId("shards-migrate:" + to + ":" + segment + ":" + shard + ":" + what)
                .setEnvironmentId(segment.environmentId()).setSegmentKey(segment.segmentKey())
                .setTimestamp(Instant.now()).setPayload(payload).build();
        producer.send(new ProducerRecord<>(Shards.topic(kafka.topics()), Shards.partition(segment, shard, partitions),
                Shards.key(segment, shard), ShardMessage.toBytes(new ShardMessage.Command(command))));
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>(kafka.kafkaConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
