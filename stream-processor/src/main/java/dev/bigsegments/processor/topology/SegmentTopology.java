package dev.bigsegments.processor.topology;

import dev.bigsegments.processor.state.InternalAvroSerde;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
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

    public static final String SEGMENTS_STORE = "segments";
    public static final String MEMBERS_STORE = "members";
    /**
     * Staged import chunks ({@link StagedChunks}). Named anew when its layout changed from one record per
     * key ("import-staging", whose changelog topic an upgraded deployment may delete).
     */
    public static final String STAGING_STORE = "import-chunks";
    public static final String IMPORTS_STORE = "imports";
    public static final String WORK_STORE = "work";
    public static final String DEDUPE_STORE = "command-ids";

    private SegmentTopology() {
    }

    /**
     * @param serdeConfig schema-registry settings for the Avro values of the topics
     */
    public static Topology build(TopicNames topics, ProcessorSettings settings, Map<String, ?> serdeConfig) {
        Topology topology = new Topology();
        // Values are decoded at the processor's door, not by the source: a record that is not a command is then a
        // dead letter, and a registry that does not answer is waited for.
        topology.addSource(SOURCE, Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(),
                topics.commands());
        topology.addProcessor(PROCESSOR, () -> new SegmentCommandProcessor(settings,
                new CommandDoor(Topics.COMMANDS.valueDeserializer(serdeConfig))), SOURCE);
        topology.addSink(MEMBERSHIP_SINK, topics.membership(), Serdes.Bytes().serializer(),
                anyValue(Topics.MEMBERSHIP.valueSerializer(serdeConfig)), PROCESSOR);
        topology.addSink(SEGMENTS_SINK, topics.segments(), Serdes.Bytes().serializer(),
                anyValue(Topics.SEGMENTS.valueSerializer(serdeConfig)), PROCESSOR);
        topology.addSink(IMPORTS_SINK, topics.imports(), Serdes.Bytes().serializer(),
                anyValue(Topics.IMPORTS.valueSerializer(serdeConfig)), PROCESSOR);
        topology.addSink(DEAD_LETTER_SINK, topics.deadLetter(), Serdes.Bytes().serializer(),
                anyValue(Serdes.ByteArray().serializer()), PROCESSOR);
        for (StoreBuilder<?> store : stores(settings.dedupeRetention())) {
            topology.addStateStore(store, PROCESSOR);
        }
        return topology;
    }

    /** The processor's state stores (RocksDB, changelogged), by the names above. */
    static List<StoreBuilder<?>> stores(Duration dedupeRetention) {
        return List.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SEGMENTS_STORE),
                        Serdes.Bytes(), new InternalAvroSerde<>(SegmentDefinition.class)),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBERS_STORE),
                        Serdes.Bytes(), Serdes.ByteArray()),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STAGING_STORE),
                        Serdes.Bytes(), Serdes.ByteArray()),
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
