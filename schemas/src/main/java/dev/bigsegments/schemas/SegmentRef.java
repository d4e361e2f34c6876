package dev.bigsegments.schemas;

/** The store reference of one generation of a segment: {@code segmentKey + ".g" + generation}. */
public final class SegmentRef {
    private static final String GENERATION_SEPARATOR = ".g";

    private SegmentRef() {
    }

    public static String of(String segmentKey, int generation) {
        return segmentKey + GENERATION_SEPARATOR + generation;
    }
}
