package dev.bigsegments.processor.state;

import dev.bigsegments.schemas.avro.MemberList;

/** One byte per (segment generation, context): bit 0 included, bit 1 excluded. Absent means neither. */
public final class MemberBits {
    public static final byte NONE = 0;
    public static final byte INCLUDED = 1;
    public static final byte EXCLUDED = 2;

    private MemberBits() {
    }

    public static byte of(byte[] stored) {
        return stored == null || stored.length == 0 ? NONE : stored[0];
    }

    public static byte bit(MemberList list) {
        return list == MemberList.INCLUDED ? INCLUDED : EXCLUDED;
    }

    public static boolean included(byte bits) {
        return (bits & INCLUDED) != 0;
    }

    public static boolean excluded(byte bits) {
        return (bits & EXCLUDED) != 0;
    }
}
