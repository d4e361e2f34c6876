package dev.bigsegments.processor.topology;

import dev.bigsegments.schemas.Backoff;
import dev.bigsegments.schemas.DeadLetters;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.ImportAbort;
import dev.bigsegments.schemas.avro.ImportBegin;
import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.ImportCommit;
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MembershipChange;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.serde.SchemaRegistryUnavailableException;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's door: decodes a command record and checks what a direct producer could get wrong, before
 * anything reaches state. A record refused here is set aside as a dead letter; a registry that does not
 * answer is waited for in place (and, past {@link #REGISTRY_WAIT}, the stream thread gives up and is
 * replaced, reading the record again), since the record itself may be fine.
 */
final class CommandDoor {
    static final int MAX_ID_CHARS = 256;
    static final int MAX_COMMAND_ID_CHARS = 1024;
    static final int MAX_RAW_KEY_CHARS = 64 * 1024;
    /** Below Kafka Streams' max.poll.interval.ms, so the thread keeps its place in the group while it waits. */
    static final Duration REGISTRY_WAIT = Duration.ofMinutes(2);
    private static final Logger LOG = LoggerFactory.getLogger(CommandDoor.class);
    private static final Backoff BACKOFF = Backoff.unlimited(Duration.ofMillis(100), Duration.ofSeconds(10));

    private final Deserializer<SegmentCommand> values;

    CommandDoor(Deserializer<SegmentCommand> values) {
        this.values = values;
    }

    /** Why a record may not come in. */
    static final class Refused extends RuntimeException {
        private final DeadLetters.Reason reason;

        Refused(DeadLetters.Reason reason, Throwable cause) {
            super(cause.getMessage(), cause);
            this.reason = reason;
        }

        Refused(String message) {
            super(message);
            this.reason = DeadLetters.Reason.INVALID;
        }

        DeadLetters.Reason reason() {
            return reason;
        }
    }

    /**
     * The record's command, or null when it was refused: it is then set aside as a dead letter (and logged).
     *
     * @throws SchemaRegistryUnavailableException when the registry did not answer within {@link #REGISTRY_WAIT}
     */
    SegmentCommand admitOrSetAside(String topic, Record<Bytes, byte[]> record, Emitter emitter) {
        try {
            return admit(topic, record.headers(), record.key(), record.value());
        } catch (Refused e) {
            LOG.warn("{} set aside as a dead letter ({}): {}", emitter.where(), e.reason().tag(), e.getMessage());
            emitter.deadLetter(record, e.reason(), e.getCause() == null ? e : e.getCause());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsException("interrupted while waiting for the registry", e);
        }
    }

    /**
     * @throws Refused when the record cannot be decoded or breaks a rule
     * @throws SchemaRegistryUnavailableException when the registry did not answer within {@link #REGISTRY_WAIT}
     */
    SegmentCommand admit(String topic, Headers headers, Bytes key, byte[] value) throws InterruptedException {
        if (value == null) {
            throw new Refused("a command record needs a value (this one is a tombstone)");
        }
        SegmentCommand command = decode(topic, headers, value);
        check(key, command);
        return command;
    }

    private SegmentCommand decode(String topic, Headers headers, byte[] value) throws InterruptedException {
        long deadline = System.nanoTime() + REGISTRY_WAIT.toNanos();
        for (int attempt = 1;; attempt++) {
            try {
                return values.deserialize(topic, headers, value);
            } catch (SerializationException e) {
                throw new Refused(DeadLetters.Reason.UNDECODABLE, e);
            } catch (SchemaRegistryUnavailableException e) {
                long delay = BACKOFF.delay(attempt).toMillis();
                if (System.nanoTime() + delay * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.warn("waiting for the schema registry to read a command ({}); trying again in {} ms",
                        e.getMessage(), delay);
                Thread.sleep(delay);
            }
        }
    }

    private static void check(Bytes key, SegmentCommand c) {
        id(c.getCommandId(), "commandId", MAX_COMMAND_ID_CHARS);
        id(c.getEnvironmentId(), "environmentId", MAX_ID_CHARS);
        id(c.getSegmentKey(), "segmentKey", MAX_ID_CHARS);
        byte[] expected = new SegmentId(c.getEnvironmentId(), c.getSegmentKey()).toBytes();
        if (key == null || !Arrays.equals(key.get(), expected)) {
            throw new Refused("the record key must be environmentId NUL segmentKey (UTF-8) of the command, so that"
                    + " one segment's commands stay in order on one partition");
        }
        Object payload = c.getPayload();
        if (payload instanceof MembershipChange change) {
            for (int i = 0; i < change.getChanges().size(); i++) {
                member(change.getChanges().get(i), "/payload/changes/" + i);
            }
        } else if (payload instanceof ImportChunk chunk) {
            id(chunk.getImportId(), "importId", MAX_ID_CHARS);
            if (chunk.getSequence() < 0) {
                throw new Refused("/payload/sequence must be 0 or more");
            }
            for (int i = 0; i < chunk.getRawKeys().size(); i++) {
                rawKey(chunk.getRawKeys().get(i), "/payload/rawKeys/" + i);
            }
        } else if (payload instanceof ImportBegin begin) {
            id(begin.getImportId(), "importId", MAX_ID_CHARS);
        } else if (payload instanceof ImportCommit commit) {
            id(commit.getImportId(), "importId", MAX_ID_CHARS);
            if (commit.getChunkCount() < 0) {
                throw new Refused("/payload/chunkCount must be 0 or more");
            }
        } else if (payload instanceof ImportAbort abort) {
            id(abort.getImportId(), "importId", MAX_ID_CHARS);
        } else if (payload instanceof CreateSegment create) {
            if (create.getContextKind() == null || create.getContextKind().isEmpty()) {
                throw new Refused("/payload/contextKind must not be empty");
            }
            if (create.getGeneration() != null && create.getGeneration() < 1) {
                throw new Refused("/payload/generation must be at least 1");
            }
        }
    }

    private static void member(MemberChange change, String pointer) {
        if ((change.getHash() == null) == (change.getRawKey() == null)) {
            throw new Refused(pointer + " must have exactly one of hash and rawKey");
        }
        if (change.getRawKey() != null) {
            rawKey(change.getRawKey(), pointer + "/rawKey");
        }
    }

    private static void rawKey(String key, String pointer) {
        if (key.isEmpty() || key.length() > MAX_RAW_KEY_CHARS) {
            throw new Refused(pointer + " must be a context key of 1 to " + MAX_RAW_KEY_CHARS + " characters");
        }
    }

    private static void id(String value, String field, int maxChars) {
        if (value == null || value.isEmpty() || value.length() > maxChars || value.indexOf('\0') >= 0) {
            throw new Refused("/" + field + " must be 1 to " + maxChars + " characters without NUL");
        }
    }
}
