package dev.bigsegments.processor.state;

import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;

/**
 * Byte layouts of the processor's state-store keys. Every key ends with a fixed-width suffix under a
 * fixed prefix, so one segment generation (or one import's staging area) is a contiguous range that
 * can be scanned in slices from a cursor.
 *
 * <pre>
 * members:       segmentId NUL generation(4 bytes, big-endian) digest(32)
 * epoch counter: segmentId NUL generation(4)  (the members prefix alone, outside the digest range)
 * list counts:   segmentId NUL generation(4) NUL  (before the digest range; value: {@link ListCountsValue})
 * staging:       segmentId NUL importId NUL chunkPosition(8) piece(4)  (value: the chunk's digests, 32 bytes each)
 * </pre>
 */
public final class StateKeys {
    /** Width of a staging key's suffix: the chunk's position in the import and the piece within the chunk. */
    public static final int PIECE_ID_BYTES = Long.BYTES + Integer.BYTES;
    private static final byte[] MAX_DIGEST = filled((byte) 0xFF, ContextHashes.DIGEST_BYTES);
    private static final byte[] MAX_PIECE_ID = filled((byte) 0xFF, PIECE_ID_BYTES);

    private StateKeys() {
    }

    public static byte[] membersPrefix(SegmentId segment, int generation) {
        byte[] id = segment.toBytes();
        return ByteBuffer.allocate(id.length + 5).put(id).put((byte) 0).putInt(generation).array();
    }

    /**
     * The key of a generation's list counts: the members prefix and one zero byte, which sorts after the epoch
     * counter and before the first member (prefix and 32 zero bytes), so no scan of the members meets it.
     */
    public static Bytes countsKey(byte[] membersPrefix) {
        return concat(membersPrefix, new byte[1]);
    }

    public static byte[] stagingPrefix(SegmentId segment, String importId) {
        byte[] id = segment.toBytes();
        byte[] imp = importId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(id.length + imp.length + 2).put(id).put((byte) 0).put(imp).put((byte) 0).array();
    }

    public static Bytes piece(byte[] stagingPrefix, long chunkPosition, int piece) {
        return concat(stagingPrefix, pieceId(chunkPosition, piece));
    }

    public static byte[] pieceId(long chunkPosition, int piece) {
        return ByteBuffer.allocate(PIECE_ID_BYTES).putLong(chunkPosition).putInt(piece).array();
    }

    /** The piece id at the end of a staging key. */
    public static byte[] pieceIdOf(Bytes key) {
        byte[] k = key.get();
        return Arrays.copyOfRange(k, k.length - PIECE_ID_BYTES, k.length);
    }

    /** First staging key of an import's range: the given piece (inclusive), or the first one. */
    public static Bytes pieceRangeStart(byte[] stagingPrefix, byte[] pieceId) {
        return concat(stagingPrefix, pieceId == null ? new byte[PIECE_ID_BYTES] : pieceId);
    }

    /** Largest staging key of an import's range (inclusive). */
    public static Bytes pieceRangeEnd(byte[] stagingPrefix) {
        return concat(stagingPrefix, MAX_PIECE_ID);
    }

    public static Bytes withDigest(byte[] prefix, byte[] digest) {
        return concat(prefix, digest);
    }

    private static Bytes concat(byte[] prefix, byte[] suffix) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + suffix.length);
        System.arraycopy(suffix, 0, key, prefix.length, suffix.length);
        return Bytes.wrap(key);
    }

    /** The digest at the end of a members key. */
    public static byte[] digestOf(Bytes key) {
        byte[] k = key.get();
        return Arrays.copyOfRange(k, k.length - ContextHashes.DIGEST_BYTES, k.length);
    }

    /** Smallest key of the range: the prefix and the all-zero digest, or just after the cursor. */
    public static Bytes rangeStart(byte[] prefix, byte[] cursorDigest) {
        if (cursorDigest == null) {
            return withDigest(prefix, new byte[ContextHashes.DIGEST_BYTES]);
        }
        byte[] next = increment(cursorDigest);
        return next == null ? null : withDigest(prefix, next);
    }

    /** Largest key of the range (inclusive). */
    public static Bytes rangeEnd(byte[] prefix) {
        return withDigest(prefix, MAX_DIGEST);
    }

    /** The digest just above the given one, or null when it was the largest. */
    static byte[] increment(byte[] digest) {
        byte[] next = digest.clone();
        for (int i = next.length - 1; i >= 0; i--) {
            if (++next[i] != 0) {
                return next;
            }
        }
        return null;
    }

    private static byte[] filled(byte b, int length) {
        byte[] a = new byte[length];
        Arrays.fill(a, b);
        return a;
    }
}
