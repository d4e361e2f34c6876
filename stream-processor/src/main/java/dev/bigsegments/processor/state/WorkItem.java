package dev.bigsegments.processor.state;

import dev.bigsegments.schemas.SegmentId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A unit of background work the punctuator advances in bounded slices, persisted (with its cursor)
 * in the work store so that a restarted task resumes where the last committed slice ended.
 *
 * @param importId the import for import phases, null for generation clean-ups
 * @param generation the generation being applied to or cleaned
 * @param cursor where the current phase goes on (a phase's own layout, see {@link StateKeys}), null at its start
 * @param epoch the import's number among the imports of its generation (assigned at its commit): its mark on the
 *     members it includes ({@link MemberValue}) and on its listed keys; {@link #NO_EPOCH} before,
 *     {@link #LEGACY_EPOCH} for an item written by a version that staged imports key by key
 */
public record WorkItem(Phase phase, SegmentId segment, String importId, int generation, byte[] cursor, long epoch) {
    public static final long LEGACY_EPOCH = -1;
    public static final long NO_EPOCH = 0;

    public WorkItem(Phase phase, SegmentId segment, String importId, int generation, byte[] cursor) {
        this(phase, segment, importId, generation, cursor, 0);
    }

    public enum Phase {
        /** Chunks are arriving; watched for abandonment. */
        STAGING,
        /**
         * Including the staged keys: marking the ones the import includes, listing apart the ones included before (a
         * key marked or listed before is a duplicate).
         */
        APPLY_ADDS,
        /** Replace only: removing included members that the import neither marked nor listed. */
        APPLY_REMOVES,
        /** Deleting the staging area of a finished or stopped import; no output. */
        DROP_STAGING,
        /** Removing every membership of a deleted generation from the store. */
        CLEANUP_GENERATION,
        /**
         * With shards: this shard can apply the import's commit and waits for every other shard to say so too; it
         * then goes on to {@link #APPLY_ADDS}, and stops when any shard cannot.
         */
        AWAIT_VOTES
    }

    public String id() {
        return importId != null ? idOfImport(importId) : "cleanup:" + segment + ":" + generation;
    }

    /** The id of an import's work item: an import has one at a time, whatever its phase. */
    public static String idOfImport(String importId) {
        return "import:" + importId;
    }

    public WorkItem next(Phase nextPhase) {
        return new WorkItem(nextPhase, segment, importId, generation, null, epoch);
    }

    public WorkItem at(byte[] newCursor) {
        return new WorkItem(phase, segment, importId, generation, newCursor, epoch);
    }

    public WorkItem withEpoch(long newEpoch) {
        return new WorkItem(phase, segment, importId, generation, cursor, newEpoch);
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(phase.ordinal());
            out.writeUTF(segment.environmentId());
            out.writeUTF(segment.segmentKey());
            out.writeUTF(importId == null ? "" : importId);
            out.writeInt(generation);
            out.writeShort(cursor == null ? -1 : cursor.length);
            if (cursor != null) {
                out.write(cursor);
            }
            out.writeLong(epoch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static WorkItem fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            Phase phase = Phase.values()[in.readByte()];
            SegmentId segment = new SegmentId(in.readUTF(), in.readUTF());
            String importId = in.readUTF();
            int generation = in.readInt();
            short cursorLength = in.readShort();
            byte[] cursor = cursorLength < 0 ? null : in.readNBytes(cursorLength);
            long epoch = in.available() >= Long.BYTES ? in.readLong() : LEGACY_EPOCH;
            return new WorkItem(phase, segment, importId.isEmpty() ? null : importId, generation, cursor, epoch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
