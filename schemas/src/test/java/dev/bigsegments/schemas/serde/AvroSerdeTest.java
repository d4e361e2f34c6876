package dev.bigsegments.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.registry.InProcessSchemaRegistry;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {
    private static final String TOPIC = "bigsegments.test";

    private final String scope = "serde-" + UUID.randomUUID();
    private final Map<String, Object> configs = Map.of("schema.registry.url", "mock://" + scope);

    @AfterEach
    void drop() {
        InProcessSchemaRegistry.dropScope(scope);
    }

    private <T extends SpecificRecord> T roundTrip(Class<T> type, T record) {
        AvroSerde<T> serde = AvroSerde.of(type, configs);
        // A topic per type, as in the pipeline: its subject then holds versions of one record type only.
        String topic = TOPIC + "." + type.getSimpleName();
        return serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, record));
    }

    static List<Object> payloads() {
        return SampleRecords.payloads();
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void everyCommandPayloadRoundTrips(Object payload) {
        SegmentCommand command = SampleRecords.command(payload);

        assertThat(roundTrip(SegmentCommand.class, command)).isEqualTo(command);
    }

    @Test
    void everyStateRecordRoundTrips() {
        assertThat(roundTrip(MembershipState.class, SampleRecords.membership())).isEqualTo(SampleRecords.membership());
        assertThat(roundTrip(SegmentDefinition.class, SampleRecords.definition())).isEqualTo(SampleRecords.definition());
        assertThat(roundTrip(ImportStatus.class, SampleRecords.importStatus())).isEqualTo(SampleRecords.importStatus());
    }

    @Test
    void nullIsATombstoneBothWays() {
        AvroSerde<MembershipState> serde = AvroSerde.of(MembershipState.class, configs);

        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void wireBytesAreMagicZeroThenTheRegisteredIdUnderTheTopicSubject() {
        InProcessSchemaRegistry.scope(scope).register("unrelated-value", SegmentDefinition.getClassSchema());
        byte[] bytes = AvroSerde.of(MembershipState.class, configs).serializer().serialize(TOPIC, SampleRecords.membership());

        int expectedId = InProcessSchemaRegistry.scope(scope).lookup(TOPIC + "-value", MembershipState.getClassSchema());
        assertThat(expectedId).isNotEqualTo(InProcessSchemaRegistry.scope(scope).lookup("unrelated-value",
                SegmentDefinition.getClassSchema()));
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(expectedId);
    }

    @Test
    void aKeySerdeUsesTheKeySubject() {
        AvroSerde<SegmentDefinition> serde = new AvroSerde<>(SegmentDefinition.class);
        serde.configure(configs, true);
        serde.serializer().serialize(TOPIC, SampleRecords.definition());

        assertThat(InProcessSchemaRegistry.scope(scope).lookup(TOPIC + "-key", PortableSchemas.of(SegmentDefinition.getClassSchema()))).isPositive();
    }

    @Test
    void withoutAutoRegistrationTheSchemaMustAlreadyBeRegistered() {
        Map<String, Object> noRegister = Map.of("schema.registry.url", "mock://" + scope, "auto.register.schemas", false);
        AvroSerde<MembershipState> serde = AvroSerde.of(MembershipState.class, noRegister);

        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, SampleRecords.membership()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("auto.register.schemas=false").hasMessageContaining(TOPIC + "-value");

        int id = InProcessSchemaRegistry.scope(scope).register(TOPIC + "-value", MembershipState.getClassSchema());
        byte[] bytes = serde.serializer().serialize(TOPIC, SampleRecords.membership());
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void aWrongMagicByteIsRejectedClearly() {
        byte[] bytes = AvroSerde.of(MembershipState.class, configs).serializer().serialize(TOPIC, SampleRecords.membership());
        bytes[0] = 1;

        assertThatThrownBy(() -> AvroSerde.of(MembershipState.class, configs).deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte 1").hasMessageContaining(TOPIC);
    }

    @Test
    void anUnknownSchemaIdIsRejectedClearly() {
        byte[] bytes = {0, 0, 0, 0, 99, 1, 0};

        assertThatThrownBy(() -> AvroSerde.of(MembershipState.class, configs).deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Unknown schema id 99");
    }

    @Test
    void aRecordShorterThanTheHeaderIsRejectedClearly() {
        assertThatThrownBy(() -> AvroSerde.of(MembershipState.class, configs).deserializer().deserialize(TOPIC, new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("2 bytes");
    }

    @Test
    void anUnconfiguredSerdeSaysSo() {
        assertThatThrownBy(() -> new AvroSerde<>(MembershipState.class).serializer().serialize(TOPIC, SampleRecords.membership()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("configure()");
    }

    @Test
    void oneSerdeIsSafeToShareBetweenThreads() throws Exception {
        AvroSerde<SegmentDefinition> serde = AvroSerde.of(SegmentDefinition.class, configs);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = IntStream.range(0, 4).mapToObj(t -> pool.submit(() -> IntStream.range(0, 500)
                    .allMatch(i -> {
                        SegmentDefinition record = SampleRecords.definition();
                        record.setName("segment " + t + "/" + i);
                        record.setPendingCleanups(IntStream.range(0, i % 7).boxed().toList());
                        byte[] bytes = serde.serializer().serialize(TOPIC, record);
                        return serde.deserializer().deserialize(TOPIC, bytes).equals(record);
                    }))).toList();
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
