package dev.bigsegments.store.writer;

import dev.bigsegments.schemas.DeadLetters;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.MembershipState;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns a raw record of the membership topic into a {@link MembershipRecord}, or says why it cannot be used:
 * a key that is not a membership key, a value that is not the project's Avro, an environment this writer
 * does not serve. A registry that cannot be reached is not the record's fault: its
 * {@link dev.bigsegments.schemas.serde.SchemaRegistryUnavailableException} reaches the caller, who waits.
 */
final class RecordDecoder {
    private final Deserializer<MembershipState> values;
    private final Set<String> environments;
    private final WriterOptions.OtherEnvironments otherEnvironments;
    /** The last key read and its bytes: the next key of the same segment shares its strings (one thread reads). */
    private byte[] lastKeyBytes;
    private MembershipKey lastKey;
    private String lastEnvironment;
    private boolean lastServed;

    RecordDecoder(Deserializer<MembershipState> values, Set<String> environments,
            WriterOptions.OtherEnvironments otherEnvironments) {
        this.values = values;
        this.environments = environments;
        this.otherEnvironments = otherEnvironments;
    }

    /**
     * @return the record, or null when it belongs to an environment this writer skips
     * @throws Unusable when the record must be set aside as a dead letter
     */
    MembershipRecord decode(ConsumerRecord<byte[], byte[]> record) {
        MembershipKey key = key(record);
        if (!served(key.environmentId())) {
            if (otherEnvironments == WriterOptions.OtherEnvironments.SKIP) {
                return null;
            }
            throw new Unusable(DeadLetters.Reason.UNKNOWN_ENVIRONMENT, new IllegalArgumentException(
                    "environment " + key.environmentId() + " is not configured for this writer"));
        }
        MembershipState state = value(record);
        ChangedList changed = state != null ? state.getChanged() : changedHeader(record);
        return new MembershipRecord(key, state, changed, false);
    }

    /** Whether this writer serves the environment; asked once per run of keys sharing their strings. */
    private boolean served(String environment) {
        if (environment != lastEnvironment) {
            lastEnvironment = environment;
            lastServed = environments.contains(environment);
        }
        return lastServed;
    }

    private MembershipKey key(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            throw new Unusable(DeadLetters.Reason.INVALID, new IllegalArgumentException("the record has no key"));
        }
        try {
            MembershipKey key = MembershipKey.fromBytes(record.key(), lastKeyBytes, lastKey);
            lastKeyBytes = record.key();
            lastKey = key;
            return key;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new Unusable(DeadLetters.Reason.INVALID, new IllegalArgumentException(
                    "the key is not environmentId NUL segmentRef NUL 32 hash bytes: " + e.getMessage(), e));
        }
    }

    private MembershipState value(ConsumerRecord<byte[], byte[]> record) {
        try {
            return values.deserialize(record.topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            throw new Unusable(DeadLetters.Reason.UNDECODABLE, e);
        }
    }

    /** Tombstones name the list(s) the context left; without the header, remove from both. */
    private static ChangedList changedHeader(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(Topics.CHANGED_HEADER);
        if (header == null) {
            return ChangedList.BOTH;
        }
        try {
            return ChangedList.valueOf(new String(header.value(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return ChangedList.BOTH;
        }
    }

    /** A record the writer cannot apply, and why. */
    static final class Unusable extends RuntimeException {
        private final DeadLetters.Reason reason;

        Unusable(DeadLetters.Reason reason, Throwable cause) {
            super(cause.getMessage(), cause);
            this.reason = reason;
        }

        DeadLetters.Reason reason() {
            return reason;
        }
    }
}
