package dev.bigsegments.processor.topology;

import dev.bigsegments.processor.state.MemberBits;
import dev.bigsegments.schemas.DeadLetters;
import dev.bigsegments.schemas.MembershipKey;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.SegmentRef;
import dev.bigsegments.schemas.ShardMessage;
import dev.bigsegments.schemas.Shards;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Forwards the processor's output to its sinks: membership, segments, import status and dead letters. */
final class Emitter {
    /** Names the processor in the headers of the dead letters it writes. */
    static final String SOURCE = "stream-processor";

    private final ProcessorContext<Bytes, Object> context;
    /** With more than one shard: how they are laid out; null otherwise. */
    private final ShardLayout layout;
    private final String deadLetterSink;
    /** Key prefix (environment NUL segment ref NUL) of the last segment generation emitted: an import emits many. */
    private SegmentId prefixSegment;
    private int prefixGeneration;
    private byte[] keyPrefix;

    Emitter(ProcessorContext<Bytes, Object> context) {
        this(context, null);
    }

    /**
     * @param layout the shards, or null: with shards, a segment definition or import status is reported to the
     *     segment's shard 0 ({@link ShardReports}), which publishes what the shards hold together
     */
    Emitter(ProcessorContext<Bytes, Object> context, ShardLayout layout) {
        this(context, layout, SegmentTopology.DEAD_LETTER_SINK);
    }

    private Emitter(ProcessorContext<Bytes, Object> context, ShardLayout layout, String deadLetterSink) {
        this.context = context;
        this.layout = layout;
        this.deadLetterSink = deadLetterSink;
    }

    /** The router's: it writes dead letters only. */
    static Emitter forRouter(ProcessorContext<Bytes, Object> context) {
        return new Emitter(context, null, SegmentTopology.ROUTER_DEAD_LETTER_SINK);
    }

    /** The coordinates of the record being processed, for logs. */
    String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("a record");
    }

    /** Which shard of the segment this task holds (0 without shards). */
    int shard(SegmentId segment) {
        return layout == null ? 0 : Shards.shardAt(segment, context.taskId().partition(), layout.partitions());
    }

    /** This shard's vote on the import's commit, to every shard of the segment (itself included). */
    void vote(SegmentId segment, String importId, boolean ok, String reason) {
        byte[] vote = ShardMessage.toBytes(new ShardMessage.Vote(importId, shard(segment), ok, reason));
        for (int to = 0; to < layout.shards(); to++) {
            toShard(segment, to, vote);
        }
    }

    private void toShard(SegmentId segment, int shard, byte[] message) {
        context.forward(new Record<>(Bytes.wrap(Shards.key(segment, shard)), (Object) message,
                context.currentSystemTimeMs()), SegmentTopology.SHARD_SINK);
    }

    /** A context's membership in one generation moved from {@code before} to {@code after} bits. */
    void membership(SegmentId segment, int generation, byte[] digest, byte before, byte after) {
        ChangedList changed = changed(before, after);
        byte[] key = membershipKey(segment, generation, digest);
        long now = context.currentSystemTimeMs();
        if (after == MemberBits.NONE) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(Topics.CHANGED_HEADER, changed.name().getBytes(StandardCharsets.UTF_8));
            context.forward(new Record<>(Bytes.wrap(key), (Object) null, now, headers), SegmentTopology.MEMBERSHIP_SINK);
        } else {
            MembershipState state = new MembershipState(MemberBits.included(after), MemberBits.excluded(after), changed,
                    java.time.Instant.ofEpochMilli(now));
            context.forward(new Record<>(Bytes.wrap(key), (Object) state, now), SegmentTopology.MEMBERSHIP_SINK);
        }
    }

    private byte[] membershipKey(SegmentId segment, int generation, byte[] digest) {
        if (keyPrefix == null || generation != prefixGeneration || !segment.equals(prefixSegment)) {
            byte[] first = new MembershipKey(segment.environmentId(), SegmentRef.of(segment.segmentKey(), generation),
                    digest).toBytes();
            keyPrefix = Arrays.copyOf(first, first.length - digest.length);
            prefixSegment = segment;
            prefixGeneration = generation;
            return first;
        }
        byte[] key = Arrays.copyOf(keyPrefix, keyPrefix.length + digest.length);
        System.arraycopy(digest, 0, key, keyPrefix.length, digest.length);
        return key;
    }

    void segment(SegmentDefinition definition) {
        SegmentId id = new SegmentId(definition.getEnvironmentId(), definition.getSegmentKey());
        if (layout != null) {
            toShard(id, 0, ShardMessage.toBytes(new ShardMessage.SegmentReport(shard(id), definition)));
            return;
        }
        publishSegment(definition);
    }

    /** The segment's definition to the segments topic, as it stands (with shards: summed over them). */
    void publishSegment(SegmentDefinition definition) {
        SegmentId id = new SegmentId(definition.getEnvironmentId(), definition.getSegmentKey());
        context.forward(new Record<>(Bytes.wrap(id.toBytes()), (Object) definition, context.currentSystemTimeMs()),
                SegmentTopology.SEGMENTS_SINK);
    }

    /** The record as it came, with headers naming where it came from and why it was set aside. */
    void deadLetter(Record<Bytes, byte[]> record, DeadLetters.Reason reason, Throwable error) {
        var metadata = context.recordMetadata();
        Headers headers = DeadLetters.headers(record.headers(), metadata.map(m -> m.topic()).orElse(""),
                metadata.map(m -> m.partition()).orElse(-1), metadata.map(m -> m.offset()).orElse(-1L), reason, error,
                SOURCE);
        context.forward(new Record<>(record.key(), (Object) record.value(), record.timestamp(), headers),
                deadLetterSink);
        DeadLetterCounts.increment(metadata.map(m -> m.topic()).orElse(""), reason);
    }

    void importStatus(ImportStatus status) {
        if (layout != null) {
            SegmentId id = new SegmentId(status.getEnvironmentId(), status.getSegmentKey());
            toShard(id, 0, ShardMessage.toBytes(new ShardMessage.ImportReport(shard(id), status)));
            return;
        }
        publishImportStatus(status);
    }

    /** The import's status to the imports topic, as it stands (with shards: summed over them). */
    void publishImportStatus(ImportStatus status) {
        Bytes key = Bytes.wrap(status.getImportId().getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(key, (Object) status, context.currentSystemTimeMs()), SegmentTopology.IMPORTS_SINK);
    }

    private static ChangedList changed(byte before, byte after) {
        int diff = before ^ after;
        if (diff == (MemberBits.INCLUDED | MemberBits.EXCLUDED)) {
            return ChangedList.BOTH;
        }
        return diff == MemberBits.INCLUDED ? ChangedList.INCLUDED : ChangedList.EXCLUDED;
    }
}
