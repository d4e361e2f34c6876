package dev.bigsegments.schemas;

/** Topic names, in one place. Each can be renamed per deployment through configuration. */
public final class Topics {
    /** Commands on segments, keyed by {@link SegmentId}; time-retained. */
    public static final String COMMANDS = "bigsegments.commands";
    /** Current membership per (environment, segment ref, context hash); compacted. */
    public static final String MEMBERSHIP = "bigsegments.membership";
    /** Segment definitions keyed by {@link SegmentId}; compacted. */
    public static final String SEGMENTS = "bigsegments.segments";
    /** Import status keyed by import id (UTF-8); compacted. */
    public static final String IMPORTS = "bigsegments.imports";
    /**
     * Records the pipeline could not use (undecodable, invalid, or failing processing), kept with headers
     * naming where they came from ({@link DeadLetters}); time-retained.
     */
    public static final String DEAD_LETTER = "bigsegments.dead-letter";
    /**
     * What each store writer reports of itself (its stamps, outage, reachability), keyed by the reporting
     * writer; compacted. The ingest service's status reads it.
     */
    public static final String STATUS = "bigsegments.status";

    /**
     * Header on membership tombstones naming the list(s) the context left ({@code INCLUDED},
     * {@code EXCLUDED} or {@code BOTH}), so the writer removes from only those sets.
     */
    public static final String CHANGED_HEADER = "bs-changed";

    private Topics() {
    }
}
