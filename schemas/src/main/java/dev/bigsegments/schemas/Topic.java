package dev.bigsegments.schemas;

import dev.bigsegments.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One of the pipeline's topics, typed: what it is for, its default name, how long the broker keeps its records,
 * and how its keys and values are written and read. {@link Topics} holds the five; producers, consumers, topic
 * creation and the operator's topic check all take their types and settings from there, and a deployment
 * renames a topic through {@link TopicNames}.
 *
 * @param <K> the key, as producers hand it over and consumers get it back
 * @param <V> the value (a generated Avro record in the Confluent wire format, or raw bytes)
 */
public final class Topic<K, V> {
    /** How the broker keeps a topic's records. */
    public enum Retention {
        /** The latest record per key, for good: the topic is a table (the truth stores are rebuilt from). */
        COMPACTED,
        /** Every record for a time, then dropped: the topic is a log of work to do. */
        TIME
    }

    private final String role;
    private final String defaultName;
    private final Retention retention;
    private final long retentionMs;
    private final Function<K, byte[]> keyWriter;
    private final Function<byte[], K> keyReader;
    private final Function<Map<String, ?>, Serializer<V>> valueSerializer;
    private final Function<Map<String, ?>, Deserializer<V>> valueDeserializer;

    private Topic(String role, String defaultName, Retention retention, long retentionMs, Function<K, byte[]> keyWriter,
            Function<byte[], K> keyReader, Function<Map<String, ?>, Serializer<V>> valueSerializer,
            Function<Map<String, ?>, Deserializer<V>> valueDeserializer) {
        this.role = role;
        this.defaultName = defaultName;
        this.retention = retention;
        this.retentionMs = retentionMs;
        this.keyWriter = keyWriter;
        this.keyReader = keyReader;
        this.valueSerializer = valueSerializer;
        this.valueDeserializer = valueDeserializer;
    }

    /** A topic of Avro values, compacted, or kept for {@code retentionMs} when that is positive. */
    static <K, V extends SpecificRecord> Topic<K, V> avro(String role, String defaultName, long retentionMs,
            Function<K, byte[]> keyWriter, Function<byte[], K> keyReader, Class<V> valueType) {
        return new Topic<>(role, defaultName, retentionMs > 0 ? Retention.TIME : Retention.COMPACTED, retentionMs,
                keyWriter, keyReader, config -> AvroSerde.of(valueType, config).serializer(),
                config -> AvroSerde.of(valueType, config).deserializer());
    }

    /** A topic of records kept as they came, whatever they hold, for {@code retentionMs}. */
    static Topic<byte[], byte[]> raw(String role, String defaultName, long retentionMs) {
        return new Topic<>(role, defaultName, Retention.TIME, retentionMs, Function.identity(), Function.identity(),
                config -> new ByteArraySerializer(), config -> new ByteArrayDeserializer());
    }

    /** UTF-8 keys. */
    static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static String utf8(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** What the topic is for, as its configuration key names it ({@code bigsegments.topics.<role>}). */
    public String role() {
        return role;
    }

    public String defaultName() {
        return defaultName;
    }

    /** This topic's name in a deployment. */
    public String name(TopicNames names) {
        return names.name(this);
    }

    public Retention retention() {
        return retention;
    }

    public boolean compacted() {
        return retention == Retention.COMPACTED;
    }

    /**
     * The settings the topic is created with: its cleanup policy, retention, and {@code min.insync.replicas}
     * one below the replication factor (at least 1).
     */
    public Map<String, String> settings(short replicationFactor) {
        String minIsr = String.valueOf(Math.max(1, replicationFactor - 1));
        return compacted()
                ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)
                : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retentionMs),
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr);
    }

    /** The key as the topic holds it. */
    public byte[] keyBytes(K key) {
        return keyWriter.apply(Objects.requireNonNull(key, "key"));
    }

    /** A key of this topic, read back. */
    public K key(byte[] bytes) {
        return keyReader.apply(bytes);
    }

    public Serializer<K> keySerializer() {
        return (topic, key) -> key == null ? null : keyWriter.apply(key);
    }

    public Deserializer<K> keyDeserializer() {
        return (topic, bytes) -> bytes == null ? null : keyReader.apply(bytes);
    }

    /** The value serializer, configured with the registry settings in {@code serdeConfig}. */
    public Serializer<V> valueSerializer(Map<String, ?> serdeConfig) {
        return valueSerializer.apply(serdeConfig);
    }

    /** The value deserializer, configured with the registry settings in {@code serdeConfig}. */
    public Deserializer<V> valueDeserializer(Map<String, ?> serdeConfig) {
        return valueDeserializer.apply(serdeConfig);
    }

    @Override
    public String toString() {
        return role + " (" + defaultName + ")";
    }
}
