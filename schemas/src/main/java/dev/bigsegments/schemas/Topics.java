package dev.bigsegments.schemas;

import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.avro.StoreStatus;
import java.util.List;

/**
 * The pipeline's topics, in one place: each a typed {@link Topic} with its default name, retention, key and value
 * formats. Each can be renamed per deployment ({@link TopicNames}, {@code bigsegments.topics.<role>}).
 */
public final class Topics {
    /** Default names, as constants for configuration defaults. */
    public static final String COMMANDS_NAME = "bigsegments.commands";
    public static final String MEMBERSHIP_NAME = "bigsegments.membership";
    public static final String SEGMENTS_NAME = "bigsegments.segments";
    public static final String IMPORTS_NAME = "bigsegments.imports";
    public static final String DEAD_LETTER_NAME = "bigsegments.dead-letter";
    public static final String STATUS_NAME = "bigsegments.status";

    /** Kept long enough for a processor down over a long weekend to catch up. */
    public static final long COMMANDS_RETENTION_MS = 7L * 24 * 3600 * 1000;
    /** Long enough to notice, inspect and re-drive a dead letter after a holiday. */
    public static final long DEAD_LETTER_RETENTION_MS = 14L * 24 * 3600 * 1000;

    /** Commands on segments, keyed by {@link SegmentId}: every change enters the pipeline here. */
    public static final Topic<SegmentId, SegmentCommand> COMMANDS = Topic.avro("commands", COMMANDS_NAME,
            COMMANDS_RETENTION_MS, SegmentId::toBytes, SegmentId::fromBytes, SegmentCommand.class);
    /**
     * Current membership per (environment, segment ref, context hash); compacted: the truth stores are written
     * and rebuilt from. A tombstone removes a context from every list its header names ({@link #CHANGED_HEADER}).
     */
    public static final Topic<MembershipKey, MembershipState> MEMBERSHIP = Topic.avro("membership", MEMBERSHIP_NAME,
            0, MembershipKey::toBytes, MembershipKey::fromBytes, MembershipState.class);
    /** Segment definitions keyed by {@link SegmentId}; compacted. */
    public static final Topic<SegmentId, SegmentDefinition> SEGMENTS = Topic.avro("segments", SEGMENTS_NAME, 0,
            SegmentId::toBytes, SegmentId::fromBytes, SegmentDefinition.class);
    /** Import status keyed by import id (UTF-8); compacted. */
    public static final Topic<String, ImportStatus> IMPORTS = Topic.avro("imports", IMPORTS_NAME, 0, Topic::utf8,
            Topic::utf8, ImportStatus.class);
    /**
     * Records the pipeline could not use (undecodable, invalid, or failing processing), kept as they came with
     * headers naming where they came from ({@link DeadLetters}).
     */
    public static final Topic<byte[], byte[]> DEAD_LETTER = Topic.raw("dead-letter", DEAD_LETTER_NAME,
            DEAD_LETTER_RETENTION_MS);

    /**
     * What each store writer reports of itself (its stamps, outage, reachability), keyed by the reporting writer
     * ({@code kind/group/instance}, UTF-8); compacted. The ingest service's status reads it.
     */
    public static final Topic<String, StoreStatus> STATUS = Topic.avro("status", STATUS_NAME, 0, Topic::utf8,
            Topic::utf8, StoreStatus.class);

    /** Every topic, in the order commands, membership, segments, imports, dead letters, status. */
    public static final List<Topic<?, ?>> ALL = List.of(COMMANDS, MEMBERSHIP, SEGMENTS, IMPORTS, DEAD_LETTER, STATUS);

    /**
     * Header on membership tombstones naming the list(s) the context left ({@code INCLUDED},
     * {@code EXCLUDED} or {@code BOTH}), so the writer removes from only those sets.
     */
    public static final String CHANGED_HEADER = "bs-changed";

    private Topics() {
    }
}
