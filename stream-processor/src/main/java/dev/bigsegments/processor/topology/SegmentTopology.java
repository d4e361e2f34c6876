package dev.bigsegments.processor.topology;

import dev.bigsegments.schemas.Shards;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.serde.InternalAvroSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The stream processor's one topology: commands in, membership changes, segment definitions, import
 * status and dead letters out. Topic, node and store names live here and nowhere else.
 */
public final class SegmentTopology {
    public static final String SOURCE = "commands-source";
    public static final String PROCESSOR = "segment-commands";
    public static final String MEMBERSHIP_SINK = "membership-sink";
    public static final String SEGMENTS_SINK = "segments-sink";
    public static final String IMPORTS_SINK = "imports-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    /** With shards: the router that reads the commands and passes each shard its part on the shard topic. */
    public static final String ROUTER = "shard-router";
    public static final String ROUTER_SHARD_SINK = "router-shard-sink";
    public static final String ROUTER_DEAD_LETTER_SINK = "router-dead-letter-sink";
    public static final String SHARD_SOURCE = "shard-source";
    /** With shards: the shards' votes and reports to one another. */
    public static final String SHARD_SINK = "shard-sink";

    public static final String SEGMENTS_STORE = "segments";
    public static final String MEMBERS_STORE = "members";
    /**
     * Staged import chunks ({@link StagedChunks}). Named anew when its layout changed from one record per
     * key ("import-staging", whose changelog topic an upgraded deployment may delete).
     */
    public static final String STAGING_STORE = "import-chunks";
    /**
     * The keys each import being applied has listed ({@link ListedKeys}): not logged, rebuilt from the staged chunks
     * when needed.
     */
    public static final String LISTED_STORE = "import-listed";
    public static final String IMPORTS_STORE = "imports";
    public static final String WORK_STORE = "work";
    public static final String DEDUPE_STORE = "command-ids";
    /** With shards ({@link ShardReports}), at a segment's shard 0: each shard's last import status and definition. */
    public static final String SHARD_REPORTS_STORE = "shard-reports";
    /** With shards: which shards said they can apply an import's commit. */
    public static final String SHARD_VOTES_STORE = "shard-votes";
    private SegmentTopology() {
    }

    /**
     * @param serdeConfig schema-registry settings for the Avro values of the topics
     */
    public static Topology build(TopicNames topics, ProcessorSettings settings, Map<String, ?> serdeConfig) {
        return build(topics, settings, null, serdeConfig);
    }

    /**
     * @param layout the shards, or null for one per segment: with shards, a router reads the commands and passes
     *     them on to the shard topic ({@link ShardRouter}), where the segment command processor reads them
     */
    public static Topology build(TopicNames topics, ProcessorSettings settings, ShardLayout layout,
            Map<String, ?> serdeConfig) {
        if (layout != null) {
            return sharded(topics, settings, layout, serdeConfig);
        }
        Topology topology = new Topology();
        // Values are decoded at the processor's door, not by the source: a record that is not a command is then a
        // dead letter, and a registry that does not answer is waited for.
        topology.addSource(SOURCE, Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(),
                topics.commands());
        topology.addProcessor(PROCESSOR, () -> new SegmentCommandProcessor(settings,
                new CommandDoor(Topics.COMMANDS.valueDeserializer(serdeConfig))), SOURCE);
        addOutputs(topology, topics, serdeConfig);
        for (StoreBuilder<?> store : stores(settings.dedupeRetention())) {
            topology.addStateStore(store, PROCESSOR);
        }
        return topology;
    }

    private static Topology sharded(TopicNames topics, ProcessorSettings settings, ShardLayout layout,
            Map<String, ?> serdeConfig) {
        Topology topology = new Topology();
        String shardTopic = Shards.topic(topics);
        topology.addSource(SOURCE, Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(),
                topics.commands());
        topology.addProcessor(ROUTER, () -> new ShardRouter(layout.shards(),
                new CommandDoor(Topics.COMMANDS.valueDeserializer(serdeConfig))), SOURCE);
        topology.addSink(ROUTER_SHARD_SINK, shardTopic, Serdes.Bytes().serializer(),
                anyValue(Serdes.ByteArray().serializer()), new ShardRouter.Partitioner(), ROUTER);
        topology.addSink(ROUTER_DEAD_LETTER_SINK, topics.deadLetter(), Serdes.Bytes().serializer(),
                anyValue(Serdes.ByteArray().serializer()), ROUTER);

        topology.addSource(SHARD_SOURCE, Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(), shardTopic);
        topology.addProcessor(PROCESSOR, () -> new SegmentCommandProcessor(settings, null, layout), SHARD_SOURCE);
        topology.addSink(SHARD_SINK, shardTopic, Serdes.Bytes().serializer(), anyValue(Serdes.ByteArray().serializer()),
                new ShardRouter.Partitioner(), PROCESSOR);
        addOutputs(topology, topics, serdeConfig);
        for (StoreBuilder<?> store : stores(settings.dedupeRetention())) {
            topology.addStateStore(store, PROCESSOR);
        }
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SHARD_REPORTS_STORE),
                Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SHARD_VOTES_STORE),
                Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Shards.layoutStore(layout.shards())),
                Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        return topology;
    }

    private static void addOutputs(Topology topology, TopicNames topics, Map<String, ?> serdeConfig) {
        topology.addSink(MEMBERSHIP_SINK, topics.membership(), Serdes.Bytes().serializer(),
                anyValue(Topics.MEMBERSHIP.valueSerializer(serdeConfig)), PROCESSOR);
        topology.addSink(SEGMENTS_SINK, topics.segments(), Serdes.Bytes().serializer(),
                anyValue(Topics.SEGMENTS.valueSerializer(serdeConfig)), PROCESSOR);
        topology.addSink(IMPORTS_SINK, topics.imports(), Serdes.Bytes().serializer(),
                anyValue(Topics.IMPORTS.valueSerializer(serdeConfig)), PROCESSOR);
        topology.addSink(DEAD_LETTER_SINK, topics.deadLetter(), Serdes.Bytes().serializer(),
                anyValue(Serdes.ByteArray().serializer()), PROCESSOR);
    }

    /** The processor's state stores (RocksDB, changelogged but for the listed keys), by the names above. */
    static List<StoreBuilder<?>> stores(Duration dedupeRetention) {
        return List.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SEGMENTS_STORE),
                        Serdes.Bytes(), new InternalAvroSerde<>(SegmentDefinition.class)),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBERS_STORE),
                        Serdes.Bytes(), Serdes.ByteArray()),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STAGING_STORE),
                        Serdes.Bytes(), Serdes.ByteArray()),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LISTED_STORE),
                        Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled(),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IMPORTS_STORE),
                        Serdes.String(), new InternalAvroSerde<>(ImportStatus.class)),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WORK_STORE),
                        Serdes.String(), Serdes.ByteArray()),
                Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(DEDUPE_STORE, dedupeRetention, dedupeRetention, false),
                        Serdes.String(), Serdes.Long()));
    }

    @SuppressWarnings("unchecked")
    private static Serializer<Object> anyValue(Serializer<?> serializer) {
        return (Serializer<Object>) serializer;
    }
}
