package dev.bigsegments.store.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.DeadLetters;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
    private static final Map<String, String> SERDE = Map.of("schema.registry.url", "mock://record-decoder");
    private static final AvroSerde<MembershipState> AVRO = AvroSerde.of(MembershipState.class, SERDE);
    private static final byte[] KEY = new MembershipKey("env", "s.g1", ContextHashes.digest("user-key")).toBytes();
    private final RecordDecoder decoder = new RecordDecoder(AVRO.deserializer(), Set.of("env"),
            WriterOptions.OtherEnvironments.DEAD_LETTER);

    @Test
    void aValueIsDecodedWithTheListItChanged() {
        MembershipState state = new MembershipState(true, false, ChangedList.INCLUDED, Instant.EPOCH);
        MembershipRecord record = decoder.decode(record(KEY, AVRO.serializer().serialize("t", state), null));
        assertThat(record.state()).isEqualTo(state);
        assertThat(record.changed()).isEqualTo(ChangedList.INCLUDED);
        assertThat(record.key().contextHash()).isEqualTo(ContextHashes.hash("user-key"));
    }

    @Test
    void aTombstoneTakesTheListsItLeftFromItsHeaderAndBothWithout() {
        assertThat(decoder.decode(record(KEY, null, "EXCLUDED")).changed()).isEqualTo(ChangedList.EXCLUDED);
        assertThat(decoder.decode(record(KEY, null, null)).changed()).isEqualTo(ChangedList.BOTH);
    }

    @Test
    void bytesThatAreNotTheProjectsAvroAreUndecodable() {
        assertReason(record(KEY, "garbage".getBytes(StandardCharsets.UTF_8), null), DeadLetters.Reason.UNDECODABLE);
        assertReason(record(KEY, new byte[] {1, 0, 0, 0, 1, 2}, null), DeadLetters.Reason.UNDECODABLE);
        assertReason(record(KEY, new byte[] {0, 0x7f, 0, 0, 9, 2}, null), DeadLetters.Reason.UNDECODABLE);
    }

    @Test
    void aKeyThatIsNotAMembershipKeyIsInvalid() {
        assertReason(record("no separators".getBytes(StandardCharsets.UTF_8), null, null), DeadLetters.Reason.INVALID);
        assertReason(record(null, null, null), DeadLetters.Reason.INVALID);
    }

    @Test
    void anotherEnvironmentIsADeadLetterOrSkippedAsConfigured() {
        byte[] other = new MembershipKey("other", "s.g1", ContextHashes.digest("user-key")).toBytes();
        assertReason(record(other, null, null), DeadLetters.Reason.UNKNOWN_ENVIRONMENT);
        RecordDecoder skipping = new RecordDecoder(AVRO.deserializer(), Set.of("env"),
                WriterOptions.OtherEnvironments.SKIP);
        assertThat(skipping.decode(record(other, null, null))).isNull();
    }

    private void assertReason(ConsumerRecord<byte[], byte[]> record, DeadLetters.Reason reason) {
        assertThatThrownBy(() -> decoder.decode(record)).isInstanceOfSatisfying(RecordDecoder.Unusable.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value, String changedHeader) {
        RecordHeaders headers = new RecordHeaders();
        if (changedHeader != null) {
            headers.add(Topics.CHANGED_HEADER, changedHeader.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(Topics.MEMBERSHIP_NAME, 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0, key, value, headers,
                Optional.empty());
    }
}
