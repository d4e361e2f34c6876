package dev.bigsegments.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key of bigsegments.membership: {@code environmentId NUL segmentRef NUL <32 digest bytes>}. Plain
 * deterministic bytes (no registry framing) so compaction and partitioning see equal keys as equal.
 */
public record MembershipKey(String environmentId, String segmentRef, byte[] digest) {

    public MembershipKey {
        SegmentId.requireNoSeparator(environmentId, "environmentId");
        SegmentId.requireNoSeparator(segmentRef, "segmentRef");
        if (digest.length != ContextHashes.DIGEST_BYTES) {
            throw new IllegalArgumentException("digest must be 32 bytes");
        }
    }

    public byte[] toBytes() {
        byte[] env = environmentId.getBytes(StandardCharsets.UTF_8);
        byte[] ref = segmentRef.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(env.length + ref.length + 2 + digest.length)
                .put(env).put((byte) 0).put(ref).put((byte) 0).put(digest).array();
    }

    public static MembershipKey fromBytes(byte[] bytes) {
        return fromBytes(bytes, null, null);
    }

    /**
     * Like {@link #fromBytes(byte[])}, taking the environment and segment from {@code previous} when
     * {@code previousBytes} (its bytes) has the same ones: a reader of many keys of one segment then builds no
     * strings of its own for them.
     */
    public static MembershipKey fromBytes(byte[] bytes, byte[] previousBytes, MembershipKey previous) {
        int digestStart = bytes.length - ContextHashes.DIGEST_BYTES;
        if (previous != null && previousBytes.length == bytes.length
                && Arrays.equals(bytes, 0, digestStart, previousBytes, 0, digestStart)) {
            return new MembershipKey(previous.environmentId, previous.segmentRef,
                    Arrays.copyOfRange(bytes, digestStart, bytes.length));
        }
        int firstSep = indexOfZero(bytes, 0, digestStart - 1);
        if (firstSep < 0 || bytes[digestStart - 1] != 0) {
            throw new IllegalArgumentException("not a membership key");
        }
        String env = new String(bytes, 0, firstSep, StandardCharsets.UTF_8);
        String ref = new String(bytes, firstSep + 1, digestStart - 2 - firstSep, StandardCharsets.UTF_8);
        return new MembershipKey(env, ref, Arrays.copyOfRange(bytes, digestStart, bytes.length));
    }

    /** The store form of the context hash. */
    public String contextHash() {
        return ContextHashes.encode(digest);
    }

    private static int indexOfZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MembershipKey k && environmentId.equals(k.environmentId)
                && segmentRef.equals(k.segmentRef) && Arrays.equals(digest, k.digest);
    }

    @Override
    public int hashCode() {
        return (environmentId.hashCode() * 31 + segmentRef.hashCode()) * 31 + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return environmentId + "/" + segmentRef + "/" + contextHash();
    }
}
