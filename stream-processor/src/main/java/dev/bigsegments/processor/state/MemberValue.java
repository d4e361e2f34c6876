package dev.bigsegments.processor.state;

import java.nio.ByteBuffer;

/**
 * A members-store value: the context's {@link MemberBits}, then, once an import has included the context,
 * that import's epoch (8 bytes, big-endian), kept through later changes. The mark rides on the write that
 * including the context needs anyway: it lets the import count a key it meets twice and lets a replace keep the
 * members it included, with no lookup elsewhere. (The members an import found already included are kept apart, in
 * the listed keys of the topology's {@code ListedKeys}, so listing them costs no write here.) A one-byte value
 * (a context only deltas touched) has mark {@link #NO_MARK}, which no import uses.
 */
public final class MemberValue {
    public static final long NO_MARK = 0;

    private MemberValue() {
    }

    public static byte[] of(byte bits, long mark) {
        if (mark == NO_MARK) {
            return new byte[] {bits};
        }
        return ByteBuffer.allocate(1 + Long.BYTES).put(bits).putLong(mark).array();
    }

    public static long mark(byte[] stored) {
        return stored == null || stored.length < 1 + Long.BYTES ? NO_MARK : ByteBuffer.wrap(stored, 1, Long.BYTES).getLong();
    }
}
