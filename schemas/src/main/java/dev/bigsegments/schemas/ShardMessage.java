package dev.bigsegments.schemas;

import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.serde.InternalAvroSerde;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A value of the stream processor's shard topic ({@link Shards}): a command for one shard, a shard's vote on an import's commit (to every shard of
 * the segment), or a shard's import status or segment definition (to shard 0, which reports the sum). Private
 * to the processor, so plain Avro binary after a one-byte type; the shard topic is drained before an upgrade
 * that changes it.
 */
public sealed interface ShardMessage {
    InternalAvroSerde<SegmentCommand> COMMANDS = new InternalAvroSerde<>(SegmentCommand.class);
    InternalAvroSerde<ImportStatus> STATUSES = new InternalAvroSerde<>(ImportStatus.class);
    InternalAvroSerde<SegmentDefinition> DEFINITIONS = new InternalAvroSerde<>(SegmentDefinition.class);

    /** One command, or the part of it that concerns the shard. */
    record Command(SegmentCommand command) implements ShardMessage {
    }

    /** Shard {@code from} can ({@code ok}) or cannot apply the import's commit, and why not. */
    record Vote(String importId, int from, boolean ok, String reason) implements ShardMessage {
    }

    /** Shard {@code from}'s status of an import. */
    record ImportReport(int from, ImportStatus status) implements ShardMessage {
    }

    /** Shard {@code from}'s definition of the segment (its members are the shard's). */
    record SegmentReport(int from, SegmentDefinition definition) implements ShardMessage {
    }

    public static byte[] toBytes(ShardMessage message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (message instanceof Command c) {
                out.writeByte(0);
                out.write(COMMANDS.serializer().serialize(null, c.command()));
            } else if (message instanceof Vote v) {
                out.writeByte(1);
                out.writeUTF(v.importId());
                out.writeShort(v.from());
                out.writeBoolean(v.ok());
                out.writeUTF(v.reason() == null ? "" : truncated(v.reason()));
            } else if (message instanceof ImportReport r) {
                out.writeByte(2);
                out.writeShort(r.from());
                out.write(STATUSES.serializer().serialize(null, r.status()));
            } else if (message instanceof SegmentReport r) {
                out.writeByte(3);
                out.writeShort(r.from());
                out.write(DEFINITIONS.serializer().serialize(null, r.definition()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws SerializationException when the bytes are not a shard message */
    public static ShardMessage fromBytes(byte[] data) {
        if (data == null || data.length == 0) {
            throw new SerializationException("a shard message needs a value");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            return switch (in.readByte()) {
                case 0 -> new Command(COMMANDS.deserializer().deserialize(null, in.readAllBytes()));
                case 1 -> new Vote(in.readUTF(), in.readShort() & 0xFFFF, in.readBoolean(), in.readUTF());
                case 2 -> new ImportReport(in.readShort() & 0xFFFF,
                        STATUSES.deserializer().deserialize(null, in.readAllBytes()));
                case 3 -> new SegmentReport(in.readShort() & 0xFFFF,
                        DEFINITIONS.deserializer().deserialize(null, in.readAllBytes()));
                default -> throw new SerializationException("not a shard message: unknown type " + data[0]);
            };
        } catch (IOException | RuntimeException e) {
            throw e instanceof SerializationException s ? s : new SerializationException("not a shard message", e);
        }
    }

    /** writeUTF takes at most 65,535 bytes. */
    private static String truncated(String reason) {
        return reason.length() > 8_000 ? reason.substring(0, 8_000) + "…" : reason;
    }
}
