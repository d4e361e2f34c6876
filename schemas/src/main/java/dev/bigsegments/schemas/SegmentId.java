package dev.bigsegments.schemas;

import java.nio.charset.StandardCharsets;

/**
 * Identity of a segment within the pipeline: environment id and segment key. Its byte form
 * ({@code environmentId NUL segmentKey}) is the key of bigsegments.commands and bigsegments.segments,
 * so all of one segment's commands land on one partition, in order.
 */
public record SegmentId(String environmentId, String segmentKey) {
    static final char SEPARATOR = '\0';

    public SegmentId {
        requireNoSeparator(environmentId, "environmentId");
        requireNoSeparator(segmentKey, "segmentKey");
    }

    public byte[] toBytes() {
        return (environmentId + SEPARATOR + segmentKey).getBytes(StandardCharsets.UTF_8);
    }

    public static SegmentId fromBytes(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        int sep = s.indexOf(SEPARATOR);
        if (sep < 0) {
            throw new IllegalArgumentException("not a segment id: no separator");
        }
        return new SegmentId(s.substring(0, sep), s.substring(sep + 1));
    }

    static void requireNoSeparator(String value, String what) {
        if (value == null || value.isEmpty() || value.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException(what + " must be non-empty and contain no NUL character");
        }
    }

    @Override
    public String toString() {
        return environmentId + "/" + segmentKey;
    }
}
