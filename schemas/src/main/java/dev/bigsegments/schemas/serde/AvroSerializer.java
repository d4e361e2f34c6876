package dev.bigsegments.schemas.serde;

import dev.bigsegments.schemas.registry.RegistryConfig;
import dev.bigsegments.schemas.registry.SchemaRegistryClient;
import dev.bigsegments.schemas.registry.SchemaRegistryClients;
import dev.bigsegments.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes specific records in the Confluent wire format, registering (or, with auto-registration off,
 * looking up) the record's schema, as its {@code .avsc} says it ({@link PortableSchemas}), under the
 * TopicNameStrategy subject on first use per topic.
 * Safe for concurrent use: buffers are per thread, everything else is immutable or a concurrent map.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    /** A thread's buffer is dropped after a record larger than this, so one huge record is not kept. */
    private static final int MAX_RETAINED_BUFFER = 1 << 20;

    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);
    private volatile SchemaRegistryClient registry;
    private volatile boolean autoRegister;
    private volatile boolean isKey;

    /** What one topic's records are written with; rebuilt if a record brings another schema. */
    private record Target(Schema schema, int id, SpecificDatumWriter<SpecificRecord> writer) {
    }

    /** A reusable output buffer and encoder; the header is written into the same buffer. */
    private static final class Buffer extends ByteArrayOutputStream {
        BinaryEncoder encoder;

        boolean oversized() {
            return buf.length > MAX_RETAINED_BUFFER;
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        RegistryConfig config = RegistryConfig.fromMap(configs);
        this.autoRegister = config.autoRegister();
        this.isKey = isKey;
        this.registry = SchemaRegistryClients.create(config);
        targets.clear();
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        Target target = target(topic, data);
        Buffer out = buffers.get();
        out.reset();
        try {
            out.write(WireFormat.MAGIC_BYTE);
            writeInt(out, target.id());
            out.encoder = EncoderFactory.get().binaryEncoder(out, out.encoder);
            target.writer().write(data, out.encoder);
            out.encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write a " + target.schema().getFullName() + " to topic " + topic
                    + ": " + e.getMessage(), e);
        } finally {
            if (out.oversized()) {
                buffers.remove();
            }
        }
    }

    private Target target(String topic, T data) {
        Schema schema = data.getSchema();
        Target target = targets.get(topic);
        if (target == null || target.schema() != schema) {
            SpecificData model = SpecificModels.of(data.getClass());
            target = new Target(schema, idOf(topic, schema), new SpecificDatumWriter<>(schema, model));
            targets.put(topic, target);
        }
        return target;
    }

    private int idOf(String topic, Schema schema) {
        SchemaRegistryClient client = registry;
        if (client == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        String subject = WireFormat.subject(topic, isKey);
        Schema registered = PortableSchemas.of(schema);
        try {
            return autoRegister ? client.register(subject, registered) : client.lookup(subject, registered);
        } catch (SchemaRegistryException e) {
            if (e.unavailable()) {
                throw new SchemaRegistryUnavailableException("Cannot " + (autoRegister ? "register" : "look up")
                        + " schema " + schema.getFullName() + " under subject " + subject, e);
            }
            throw new SerializationException((autoRegister ? "Cannot register " : "Cannot find (auto.register.schemas=false) ")
                    + "schema " + schema.getFullName() + " under subject " + subject + ": " + e.getMessage(), e);
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }
}
