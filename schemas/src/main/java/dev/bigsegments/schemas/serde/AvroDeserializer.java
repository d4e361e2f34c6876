package dev.bigsegments.schemas.serde;

import dev.bigsegments.schemas.registry.InProcessSchemaRegistry;
import dev.bigsegments.schemas.registry.RegistryConfig;
import dev.bigsegments.schemas.registry.SchemaRegistryClient;
import dev.bigsegments.schemas.registry.SchemaRegistryClients;
import dev.bigsegments.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format records into {@code T}, resolving each writer schema (fetched by id)
 * against T's schema, so records written with an older compatible schema read fine. One reader per
 * writer id is kept; decoders are reused per thread. Safe for concurrent use.
 *
 * <p>A record that is not this type's Avro (no wire-format header, an unknown schema id, bytes that do not
 * decode) is a {@link SerializationException}; a registry that cannot be reached is a
 * {@link SchemaRegistryUnavailableException}, since the record itself may be fine.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final Class<T> type;
    private final SpecificData model;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    /** Per writer id: whether its schema has T's own binary layout, which {@link #direct} then reads. */
    private final Map<Integer, Boolean> ownLayout = new ConcurrentHashMap<>();
    private final long readerFingerprint;
    private volatile DirectReader<T> direct;
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();
    private volatile SchemaRegistryClient registry;

    public AvroDeserializer(Class<T> type) {
        this.type = type;
        // The generated class's model carries its logical-type conversions (timestamps as Instant).
        this.model = SpecificModels.of(type);
        this.readerSchema = model.getSchema(type);
        this.readerFingerprint = SchemaNormalization.parsingFingerprint64(readerSchema);
        TrustedAvroClasses.trust(type);
    }

    /**
     * Reads one value of T's own layout from a decoder: the fields in order, nothing resolved. Hand-written for a
     * small hot type, it skips what a resolving reader does for every record.
     */
    @FunctionalInterface
    public interface DirectReader<T> {
        T read(BinaryDecoder in) throws IOException;
    }

    /**
     * Records whose writer schema has T's own layout (the same Parsing Canonical Form, so the same bytes) are read
     * by {@code reader}; any other writer schema, older or newer, is still resolved against T's.
     */
    public AvroDeserializer<T> withDirectReader(DirectReader<T> reader) {
        this.direct = reader;
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistryClients.create(RegistryConfig.fromMap(configs));
        if (registry instanceof InProcessSchemaRegistry inProcess) {
            // Writers register the portable form; records written before they did carry the generated one.
            inProcess.know(PortableSchemas.of(readerSchema));
            inProcess.know(readerSchema);
        }
        readers.clear();
        ownLayout.clear();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = schemaId(topic, data);
        SpecificDatumReader<T> reader = reader(topic, id);
        try {
            BinaryDecoder reuse = decoders.get();
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
                    data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, reuse);
            if (decoder != reuse) {
                decoders.set(decoder);
            }
            DirectReader<T> directReader = direct;
            if (directReader != null && Boolean.TRUE.equals(ownLayout.get(id))) {
                return directReader.read(decoder);
            }
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read a " + type.getSimpleName() + " written with schema id " + id
                    + " from topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private static int schemaId(String topic, byte[] data) {
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new SerializationException("Record from topic " + topic + " has " + data.length
                    + " bytes, fewer than the 5-byte Confluent wire-format header");
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw new SerializationException("Record from topic " + topic + " starts with magic byte " + data[0]
                    + ", not 0: it was not written in the Confluent Avro wire format");
        }
        return ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
    }

    private SpecificDatumReader<T> reader(String topic, int id) {
        SpecificDatumReader<T> reader = readers.get(id);
        if (reader == null) {
            // Not computeIfAbsent: the fetch may be a network call, which must not hold a map lock.
            Schema writer = writerSchema(topic, id);
            ownLayout.put(id, SchemaNormalization.parsingFingerprint64(writer) == readerFingerprint);
            reader = new SpecificDatumReader<>(writer, readerSchema, model);
            readers.putIfAbsent(id, reader);
        }
        return reader;
    }

    private Schema writerSchema(String topic, int id) {
        SchemaRegistryClient client = registry;
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        try {
            return client.getById(id);
        } catch (SchemaRegistryException e) {
            if (e.unavailable()) {
                throw new SchemaRegistryUnavailableException("Cannot fetch schema id " + id + " for a record from topic "
                        + topic, e);
            }
            throw new SerializationException("Unknown schema id " + id + " in a record from topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }
}
