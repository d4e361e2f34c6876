package dev.bigsegments.processor.state;

import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;

/**
 * Byte layouts of the processor's state-store keys. Every key ends with a 32-byte digest under a
 * fixed prefix, so one segment generation (or one import's staging area) is a contiguous range that
 * can be scanned in slices from a cursor.
 *
 * <pre>
 * members: segmentId NUL generation(4 bytes, big-endian) digest(32)
 * staging: segmentId NUL importId NUL digest(32)
 * </pre>
 */
public final class StateKeys {
    private static final byte[] MAX_DIGEST = filled((byte) 0xFF);

    private StateKeys() {
    }

    public static byte[] membersPrefix(SegmentId segment, int generation) {
        byte[] id = segment.toBytes();
        return ByteBuffer.allocate(id.length + 5).put(id).put((byte) 0).putInt(generation).array();
    }

    public static byte[] stagingPrefix(SegmentId segment, String importId) {
        byte[] id = segment.toBytes();
        byte[] imp = importId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(id.length + imp.length + 2).put(id).put((byte) 0).put(imp).put((byte) 0).array();
    }

    public static Bytes withDigest(byte[] prefix, byte[] digest) {
        return Bytes.wrap(ByteBuffer.allocate(prefix.length + digest.length).put(prefix).put(digest).array());
    }

    /** The digest at the end of a members or staging key. */
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

    private static byte[] filled(byte b) {
        byte[] a = new byte[ContextHashes.DIGEST_BYTES];
        Arrays.fill(a, b);
        return a;
    }
}
