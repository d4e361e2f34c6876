package dev.bigsegments.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InProcessIdsTest {

    @Test
    void twoScopesThatNeverMetGiveTheSameSchemaTheSameId() {
        int a = InProcessSchemaRegistry.scope("ids-a").register("t-value", MembershipState.getClassSchema());
        int b = InProcessSchemaRegistry.scope("ids-b").know(MembershipState.getClassSchema());
        assertThat(a).isEqualTo(b).isPositive();
        assertThat(InProcessSchemaRegistry.scope("ids-b").getById(a)).isEqualTo(MembershipState.getClassSchema());
        assertThat(InProcessSchemaRegistry.scope("ids-b").know(SegmentCommand.getClassSchema())).isNotEqualTo(a);
    }

    @Test
    void aRecordWrittenWithTheIdOfEarlierVersionsStillReads() {
        MembershipState state = new MembershipState(true, false, ChangedList.INCLUDED, Instant.EPOCH);
        Map<String, String> config = Map.of("schema.registry.url", "mock://ids-legacy");
        byte[] current = AvroSerde.of(MembershipState.class, config).serializer().serialize("t", state);
        int legacy = InProcessSchemaRegistry.legacyIdOf(MembershipState.getClassSchema());
        byte[] old = current.clone();
        ByteBuffer.wrap(old, 1, 4).putInt(legacy);
        assertThat(legacy).isNotEqualTo(ByteBuffer.wrap(current, 1, 4).getInt());
        assertThat(AvroSerde.of(MembershipState.class, Map.of("schema.registry.url", "mock://ids-elsewhere"))
                .deserializer().deserialize("t", old)).isEqualTo(state);
    }
}
