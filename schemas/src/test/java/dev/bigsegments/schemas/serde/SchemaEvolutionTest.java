package dev.bigsegments.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Records written by an older producer, with an older schema, are read into today's classes. */
class SchemaEvolutionTest {
    private static final String TOPIC = "bigsegments.segments";
    private static final long AT = SampleRecords.AT.toEpochMilli();

    /** SegmentDefinition before members, pendingCleanups and activeImportId were added. */
    private static final Schema OLD_DEFINITION = new Schema.Parser().parse("""
            {"type": "record", "name": "SegmentDefinition", "namespace": "dev.bigsegments.schemas.avro", "fields": [
              {"name": "environmentId", "type": "string"}, {"name": "segmentKey", "type": "string"},
              {"name": "name", "type": "string"}, {"name": "contextKind", "type": "string"},
              {"name": "generation", "type": "int"}, {"name": "deleted", "type": "boolean"},
              {"name": "updatedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}""");

    /** SegmentCommand when the only payload was a CreateSegment with just a name. */
    private static final Schema OLD_COMMAND = new Schema.Parser().parse("""
            {"type": "record", "name": "SegmentCommand", "namespace": "dev.bigsegments.schemas.avro", "fields": [
              {"name": "commandId", "type": "string"}, {"name": "environmentId", "type": "string"},
              {"name": "segmentKey", "type": "string"},
              {"name": "timestamp", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "payload", "type": [{"type": "record", "name": "CreateSegment", "fields": [
                {"name": "name", "type": "string"}]}]}]}""");

    @RegisterExtension
    final RegistryScope registry = new RegistryScope("evolution");
    private final Map<String, Object> configs = registry.configs();

    @Test
    void anOlderDefinitionReadsWithTheNewFieldsDefaulted() throws IOException {
        GenericRecord old = new GenericData.Record(OLD_DEFINITION);
        old.put("environmentId", "env-1");
        old.put("segmentKey", "beta");
        old.put("name", "Beta");
        old.put("contextKind", "user");
        old.put("generation", 3);
        old.put("deleted", false);
        old.put("updatedAt", AT);

        SegmentDefinition read = Topics.SEGMENTS.valueDeserializer(configs)
                .deserialize(TOPIC, writtenByOldProducer(OLD_DEFINITION, old));

        assertThat(read).isEqualTo(new SegmentDefinition("env-1", "beta", "Beta", "user", 3, false, 0L, List.of(), null,
                SampleRecords.AT));
    }

    @Test
    void anOlderCommandReadsIntoTheCurrentUnionBranch() throws IOException {
        GenericRecord create = new GenericData.Record(OLD_COMMAND.getField("payload").schema().getTypes().get(0));
        create.put("name", "Beta");
        GenericRecord old = new GenericData.Record(OLD_COMMAND);
        old.put("commandId", "c-1");
        old.put("environmentId", "env-1");
        old.put("segmentKey", "beta");
        old.put("timestamp", AT);
        old.put("payload", create);

        SegmentCommand read = Topics.COMMANDS.valueDeserializer(configs)
                .deserialize("bigsegments.commands", writtenByOldProducer(OLD_COMMAND, old));

        assertThat(read.getPayload()).isEqualTo(new CreateSegment("Beta", "user", null));
        assertThat(read.getTimestamp()).isEqualTo(SampleRecords.AT);
    }

    @Test
    void aWriterSchemaMissingARequiredFieldFailsAsASerializationError() throws IOException {
        Schema noName = new Schema.Parser().parse(OLD_DEFINITION.toString().replace("{\"name\":\"name\",\"type\":\"string\"},", ""));
        assertThat(noName.getField("name")).isNull();
        GenericRecord old = new GenericData.Record(noName);
        noName.getFields().forEach(f -> old.put(f.name(), defaultFor(f.schema())));

        byte[] bytes = writtenByOldProducer(noName, old);

        assertThatThrownBy(() -> Topics.SEGMENTS.valueDeserializer(configs).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("SegmentDefinition").hasMessageContaining("name");
    }

    private static Object defaultFor(Schema schema) {
        return switch (schema.getType()) {
            case STRING -> "x";
            case INT -> 1;
            case LONG -> AT;
            case BOOLEAN -> true;
            default -> throw new IllegalArgumentException(schema.toString());
        };
    }

    /** A record as an old producer's serializer framed it. */
    private byte[] writtenByOldProducer(Schema schema, GenericRecord record) throws IOException {
        return registry.written("old-producer-value", schema, record);
    }
}
