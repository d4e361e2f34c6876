package dev.bigsegments.schemas.query;

import java.util.List;

/**
 * Questions answered from the stream processor's own state (its members store), not from a store or a topic:
 * the membership of hashed context keys in a segment generation, and each segment's member counts per list.
 * The stream processor answers them in its process ({@code SegmentQueries}); its query endpoint answers them
 * over HTTP for the ingest service of a deployment where they run apart ({@code bigsegments.ingest.processor-url}).
 */
public interface PipelineQueries {
    /**
     * @param hashes base64 SHA-256 digests of context keys (never raw keys)
     * @return one answer per hash, in the order asked
     * @throws QueryUnavailable when the processor cannot answer now (starting, rebalancing, unreachable)
     */
    List<Membership> members(String environmentId, String segmentKey, int generation, List<String> hashes);

    /**
     * @return the counts of each segment asked, in the order asked
     * @throws QueryUnavailable when the processor cannot answer now
     */
    List<SegmentCounts> counts(String environmentId, List<SegmentAt> segments);

    /** A segment generation. */
    record SegmentAt(String segmentKey, int generation) {
    }

    /** A hashed context's lists in a segment generation. */
    record Membership(String hash, boolean included, boolean excluded) {
    }

    /**
     * A segment generation's members per list (a context in both counts in both) and when its membership last
     * changed (Unix ms, as the processor applied it; null before any change since it was counted).
     */
    record SegmentCounts(String segmentKey, int generation, long included, long excluded, Long lastChangeAt) {
    }

    /** The processor cannot answer now; the question may be asked again. */
    final class QueryUnavailable extends RuntimeException {
        public QueryUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
