package dev.bigsegments.schemas.query;

import dev.bigsegments.schemas.query.PipelineQueries.SegmentAt;
import java.util.List;

/** The bodies of the stream processor's query endpoint ({@code POST /processor/v1/members}, {@code .../counts}). */
public final class QueryRequests {
    private QueryRequests() {
    }

    public record MembersRequest(String environmentId, String segmentKey, int generation, List<String> hashes) {
    }

    public record CountsRequest(String environmentId, List<SegmentAt> segments) {
    }

    /**
     * Between processors with shards ({@code POST /processor/v1/shard-counts}): the counts of one shard of each
     * segment generation, asked of the instance that holds those shards.
     */
    public record ShardCountsRequest(String environmentId, List<ShardAt> parts) {
    }

    /** Shard {@code shard} of a segment generation. */
    public record ShardAt(String segmentKey, int generation, int shard) {
    }
}
