package dev.bigsegments.processor.state;

import java.nio.ByteBuffer;

/**
 * A segment generation's members per list and when its membership last changed, as kept in the members
 * store under {@link StateKeys#countsKey}: included, excluded and the last change (Unix ms, 0 for none),
 * 8 bytes each, big-endian. A generation created by a version that kept no counts has none.
 */
public record ListCountsValue(long included, long excluded, long lastChangeAt) {
    private static final int BYTES = 3 * Long.BYTES;

    public static final ListCountsValue EMPTY = new ListCountsValue(0, 0, 0);

    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).putLong(included).putLong(excluded).putLong(lastChangeAt).array();
    }

    public static ListCountsValue fromBytes(byte[] stored) {
        ByteBuffer b = ByteBuffer.wrap(stored);
        return new ListCountsValue(b.getLong(), b.getLong(), b.getLong());
    }

    /** The counts after a context's bits moved from {@code before} to {@code after} at {@code now}. */
    public ListCountsValue plus(byte before, byte after, long now) {
        return new ListCountsValue(included + delta(before, after, MemberBits.INCLUDED),
                excluded + delta(before, after, MemberBits.EXCLUDED), now);
    }

    private static int delta(byte before, byte after, byte bit) {
        return ((after & bit) != 0 ? 1 : 0) - ((before & bit) != 0 ? 1 : 0);
    }
}
