package dev.bigsegments.ingest.synced;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An integration's request parser: JSON Pointers (RFC 6901) into the tool's payload, in the shape of
 * {@code capabilities.syncedSegment.requestParser} of launchdarkly/integration-framework manifests.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RequestParserSpec(String environmentIdPath, String contextKindPath, String cohortIdPath,
        String cohortNamePath, String cohortUrlPath, String memberArrayPath, String addMemberArrayPath,
        String removeMemberArrayPath, ArrayInclusion arrayInclusion, MemberArrayParser memberArrayParser) {

    /** The whole member array is added when the value at {@code path} matches {@code matcher}, else removed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ArrayInclusion(String path, String matcher) {
    }

    /** Pointers relative to one member of the array. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MemberArrayParser(String memberIdPath, String booleanMembershipPath, String cohortIdPath,
            String cohortNamePath, String cohortUrlPath) {
    }
}
