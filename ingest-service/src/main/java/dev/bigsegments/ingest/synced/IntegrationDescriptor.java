package dev.bigsegments.ingest.synced;

import java.util.regex.Pattern;

/**
 * One external tool: its integration key (the descriptor's file name), its request parser, and whether
 * it expects Heap's JSON response body instead of an empty 204.
 */
public record IntegrationDescriptor(String key, RequestParserSpec parser, boolean jsonResponseBody,
        Pattern inclusionMatcher) {
}
