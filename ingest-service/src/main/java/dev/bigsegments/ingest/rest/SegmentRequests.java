package dev.bigsegments.ingest.rest;

import java.util.List;

/** Request and response bodies of the segment endpoints, in LaunchDarkly's field names. */
public final class SegmentRequests {
    private SegmentRequests() {
    }

    public record CreateSegmentBody(String key, String name, Boolean unbounded, String unboundedContextKind,
            Integer generation) {
    }

    public record ListChange(List<String> add, List<String> remove) {
    }

    public record ContextsBody(ListChange included, ListChange excluded) {
    }

    public record SegmentView(String key, String name, boolean unbounded, String unboundedContextKind,
            int generation, boolean deleted) {
    }
}
