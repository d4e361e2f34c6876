package dev.bigsegments.processor.query;

import dev.bigsegments.processor.topology.SegmentTopology;
import dev.bigsegments.processor.topology.ShardLayout;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.Shards;
import dev.bigsegments.schemas.query.PipelineQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Answers {@link PipelineQueries} from this processor's members store (Kafka Streams interactive queries). A
 * segment's members live in the task of its commands partition; {@link #owner} tells whether that task runs
 * here, or on which other instance ({@code application.server}), so the query endpoint can pass a question on;
 * with shards, each shard's task ({@link #owner(SegmentId, int)}).
 * A store that is restoring or moving answers {@link QueryUnavailable}, never a guess.
 */
public final class SegmentQueries implements PipelineQueries {
    private final KafkaStreams streams;
    private final Optional<HostInfo> self;
    private final ShardLayout layout;

    /** @param self this instance's advertised address ({@code application.server}), when it has one */
    public SegmentQueries(KafkaStreams streams, Optional<HostInfo> self) {
        this(streams, self, null);
    }

    /**
     * @param layout the processor's shards, or null: with shards, a segment's members are read from each shard's
     *     task, and a shard whose task runs on another instance leaves the question unanswered here (the query
     *     endpoint asks that instance first)
     */
    public SegmentQueries(KafkaStreams streams, Optional<HostInfo> self, ShardLayout layout) {
        this.streams = streams;
        this.self = self;
        this.layout = layout;
    }

    @Override
    public List<Membership> members(String environmentId, String segmentKey, int generation, List<String> hashes) {
        SegmentId segment = new SegmentId(environmentId, segmentKey);
        if (layout == null) {
            return held(segment, () -> reader(segment).members(segment, generation, hashes));
        }
        Membership[] out = new Membership[hashes.size()];
        for (int shard = 0; shard < layout.shards(); shard++) {
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < hashes.size(); i++) {
                if (shardOf(hashes.get(i), layout.shards()) == shard) {
                    positions.add(i);
                }
            }
            if (positions.isEmpty()) {
                continue;
            }
            MembersReader reader = shardReader(segment, shard);
            List<Membership> read = held(segment, () -> reader.members(segment, generation,
                    positions.stream().map(hashes::get).toList()));
            for (int i = 0; i < positions.size(); i++) {
                out[positions.get(i)] = read.get(i);
            }
        }
        return List.of(out);
    }

    @Override
    public List<SegmentCounts> counts(String environmentId, List<SegmentAt> segments) {
        List<SegmentCounts> out = new ArrayList<>(segments.size());
        for (SegmentAt at : segments) {
            SegmentId segment = new SegmentId(environmentId, at.segmentKey());
            if (layout == null) {
                out.add(held(segment, () -> reader(segment).counts(segment, at.generation())));
                continue;
            }
            List<SegmentCounts> parts = new ArrayList<>(layout.shards());
            for (int shard = 0; shard < layout.shards(); shard++) {
                parts.add(shardCounts(environmentId, at, shard));
            }
            out.add(sum(at, parts));
        }
        return out;
    }

    /** A segment generation's counts from its shards' counts: members summed, the last change the latest. */
    public static SegmentCounts sum(SegmentAt at, List<SegmentCounts> shards) {
        long included = 0;
        long excluded = 0;
        Long lastChange = null;
        for (SegmentCounts part : shards) {
            included += part.included();
            excluded += part.excluded();
            if (part.lastChangeAt() != null && (lastChange == null || part.lastChangeAt() > lastChange)) {
                lastChange = part.lastChangeAt();
            }
        }
        return new SegmentCounts(at.segmentKey(), at.generation(), included, excluded, lastChange);
    }

    /** With shards: the counts of the segment generation's members in one shard, read on this instance. */
    public SegmentCounts shardCounts(String environmentId, SegmentAt at, int shard) {
        SegmentId segment = new SegmentId(environmentId, at.segmentKey());
        return held(segment, () -> shardReader(segment, shard).counts(segment, at.generation()));
    }

    /** The shard of a hashed context key (base64 SHA-256). */
    public static int shardOf(String hash, int shards) {
        byte[] digest = ContextHashes.decode(hash);
        if (digest.length != 32) {
            throw new IllegalArgumentException("a context hash is a base64 SHA-256 digest (32 bytes), not "
                    + digest.length + " bytes");
        }
        return Shards.of(digest, shards);
    }

    /** The processor's shards, or empty when a segment is one task's. */
    public Optional<ShardLayout> layout() {
        return Optional.ofNullable(layout);
    }

    /** The members store of the segment's shard: on this instance, or the question is unanswered here. */
    private MembersReader shardReader(SegmentId segment, int shard) {
        return held(segment, () -> new MembersReader(streams.store(StoreQueryParameters.fromNameAndType(
                SegmentTopology.MEMBERS_STORE, QueryableStoreTypes.<Bytes, byte[]>keyValueStore())
                .withPartition(Shards.partition(segment, shard, layout.partitions())))));
    }

    /**
     * The other instance that holds the segment's members, or empty when this one does. Without an advertised
     * address ({@code application.server}) this is the only instance queries reach, and it answers itself.
     */
    public Optional<HostInfo> owner(SegmentId segment) {
        if (self.isEmpty() || layout != null) {
            return Optional.empty();
        }
        HostInfo host = metadata(segment, null).activeHost();
        return host.equals(self.get()) ? Optional.empty() : Optional.of(host);
    }

    /**
     * With shards: the other instance that holds the segment's shard, or empty when this one does (or, without an
     * advertised address, when this is the only instance queries reach).
     */
    public Optional<HostInfo> owner(SegmentId segment, int shard) {
        if (self.isEmpty()) {
            return Optional.empty();
        }
        Set<Integer> partition = Set.of(Shards.partition(segment, shard, layout.partitions()));
        HostInfo host = metadata(segment, (topic, key, value, partitions) -> Optional.of(partition)).activeHost();
        return host.equals(self.get()) ? Optional.empty() : Optional.of(host);
    }

    /**
     * The members store that holds the segment. With an advertised address, the partition of the segment's
     * commands (the task that holds its members); without one, every store of this instance (the only one asked),
     * where the segment's keys are in one of them.
     */
    private MembersReader reader(SegmentId segment) {
        var parameters = StoreQueryParameters.fromNameAndType(SegmentTopology.MEMBERS_STORE,
                QueryableStoreTypes.<Bytes, byte[]>keyValueStore());
        if (self.isPresent()) {
            parameters = parameters.withPartition(metadata(segment, null).partition());
        }
        return new MembersReader(streams.store(parameters));
    }

    /**
     * Reads from the store that holds the segment. Kafka Streams finds out only when it is read that the store
     * has moved (a rebalance) or is restoring: the question is then unanswered, never guessed.
     */
    private <T> T held(SegmentId segment, Supplier<T> read) {
        try {
            return read.get();
        } catch (InvalidStateStoreException e) {
            throw new QueryUnavailable("the stream processor does not hold segment " + segment + " now ("
                    + streams.state() + "): " + e.getMessage(), e);
        }
    }

    /** @param shardPartition the partition of a segment's shard, or null for the segment's commands partition */
    private KeyQueryMetadata metadata(SegmentId segment, StreamPartitioner<Bytes, Object> shardPartition) {
        KeyQueryMetadata metadata;
        try {
            Bytes key = Bytes.wrap(segment.toBytes());
            metadata = shardPartition == null
                    ? streams.queryMetadataForKey(SegmentTopology.MEMBERS_STORE, key, Serdes.Bytes().serializer())
                    : streams.queryMetadataForKey(SegmentTopology.MEMBERS_STORE, key, shardPartition);
        } catch (RuntimeException e) {
            throw new QueryUnavailable("the stream processor cannot say where segment " + segment + " is now ("
                    + streams.state() + ")", e);
        }
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
            throw new QueryUnavailable("the stream processor is not running yet (" + streams.state() + ")", null);
        }
        return metadata;
    }
}
