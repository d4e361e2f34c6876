package dev.bigsegments.schemas.serde;

import dev.bigsegments.schemas.registry.InProcessSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** An in-process registry scope of one test's own, dropped after it. */
final class RegistryScope implements AfterEachCallback {
    private final String scope;

    RegistryScope(String name) {
        this.scope = name + "-" + UUID.randomUUID();
    }

    Map<String, Object> configs() {
        return Map.of("schema.registry.url", "mock://" + scope);
    }

    /** Frames a record exactly as a producer's serializer does: {@code schema}'s registered id, then Avro binary. */
    byte[] written(String subject, Schema schema, GenericRecord record) throws IOException {
        int id = InProcessSchemaRegistry.scope(scope).register(subject, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(WireFormat.MAGIC_BYTE);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        InProcessSchemaRegistry.dropScope(scope);
    }
}
