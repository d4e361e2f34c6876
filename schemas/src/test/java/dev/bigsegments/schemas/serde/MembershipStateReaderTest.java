package dev.bigsegments.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.MembershipState;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The membership values read field by field agree with the resolving reader, whatever schema wrote them. */
class MembershipStateReaderTest {
    private static final String TOPIC = "bigsegments.membership";
    private static final Instant AT = Instant.ofEpochMilli(1_760_000_000_123L);

    /** The same fields in another order: its bytes are not the current layout's. */
    private static final Schema REORDERED = new Schema.Parser().parse("""
            {"type": "record", "name": "MembershipState", "namespace": "dev.bigsegments.schemas.avro", "fields": [
              {"name": "updatedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "changed", "type": {"type": "enum", "name": "ChangedList",
                "symbols": ["INCLUDED", "EXCLUDED", "BOTH"]}},
              {"name": "excluded", "type": "boolean"}, {"name": "included", "type": "boolean"}]}""");

    @RegisterExtension
    final RegistryScope registry = new RegistryScope("direct");
    private final Map<String, Object> configs = registry.configs();

    @Test
    void everyStateOfTheCurrentLayoutReadsAsTheResolvingReaderReadsIt() {
        AvroSerde<MembershipState> serde = AvroSerde.of(MembershipState.class, configs);
        Deserializer<MembershipState> direct = MembershipStateReader.deserializer(configs);
        for (ChangedList changed : ChangedList.values()) {
            for (int flags = 0; flags < 4; flags++) {
                MembershipState state = new MembershipState((flags & 1) != 0, (flags & 2) != 0, changed, AT);
                byte[] bytes = serde.serializer().serialize(TOPIC, state);
                assertThat(direct.deserialize(TOPIC, bytes)).isEqualTo(state)
                        .isEqualTo(serde.deserializer().deserialize(TOPIC, bytes));
            }
        }
        assertThat(direct.deserialize(TOPIC, null)).isNull();
    }

    @Test
    void valuesTheProjectsSerializerWroteTakeTheDirectPath() {
        byte[] bytes = AvroSerde.of(MembershipState.class, configs).serializer()
                .serialize(TOPIC, new MembershipState(true, false, ChangedList.INCLUDED, AT));
        int[] direct = {0};
        MembershipStateReader reader = new MembershipStateReader();
        AvroDeserializer<MembershipState> counting = new AvroDeserializer<>(MembershipState.class);
        counting.configure(configs, false);
        counting.withDirectReader(in -> {
            direct[0]++;
            return reader.read(in);
        });
        counting.deserialize(TOPIC, bytes);
        counting.deserialize(TOPIC, bytes);
        assertThat(direct[0]).isEqualTo(2);
    }

    @Test
    void aValueWrittenWithAnotherLayoutIsResolvedByFieldName() throws IOException {
        GenericRecord record = new GenericData.Record(REORDERED);
        record.put("updatedAt", AT.toEpochMilli());
        record.put("changed", new GenericData.EnumSymbol(REORDERED.getField("changed").schema(), "EXCLUDED"));
        record.put("excluded", true);
        record.put("included", false);
        byte[] bytes = registry.written(TOPIC + "-value", REORDERED, record);
        assertThat(MembershipStateReader.deserializer(configs).deserialize(TOPIC, bytes))
                .isEqualTo(new MembershipState(false, true, ChangedList.EXCLUDED, AT));
    }

    @Test
    void anEnumIndexOutsideTheListIsAnUnreadableRecord() throws IOException {
        AvroSerde<MembershipState> serde = AvroSerde.of(MembershipState.class, configs);
        byte[] bytes = serde.serializer().serialize(TOPIC, new MembershipState(true, false, ChangedList.BOTH, AT));
        bytes[WireFormat.HEADER_SIZE + 2] = 6; // zigzag 3: a fourth symbol
        assertThatThrownBy(() -> MembershipStateReader.deserializer(configs).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("MembershipState");
    }
}
