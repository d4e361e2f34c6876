package dev.bigsegments.processor.query;

import dev.bigsegments.processor.topology.SegmentTopology;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.query.PipelineQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Answers {@link PipelineQueries} from this processor's members store (Kafka Streams interactive queries). A
 * segment's members live in the task of its commands partition; {@link #owner} tells whether that task runs
 * here, or on which other instance ({@code application.server}), so the query endpoint can pass a question on.
 * A store that is restoring or moving answers {@link QueryUnavailable}, never a guess.
 */
public final class SegmentQueries implements PipelineQueries {
    private final KafkaStreams streams;
    private final Optional<HostInfo> self;

    /** @param self this instance's advertised address ({@code application.server}), when it has one */
    public SegmentQueries(KafkaStreams streams, Optional<HostInfo> self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public List<Membership> members(String environmentId, String segmentKey, int generation, List<String> hashes) {
        SegmentId segment = new SegmentId(environmentId, segmentKey);
        return held(segment, () -> reader(segment).members(segment, generation, hashes));
    }

    @Override
    public List<SegmentCounts> counts(String environmentId, List<SegmentAt> segments) {
        List<SegmentCounts> out = new ArrayList<>(segments.size());
        for (SegmentAt at : segments) {
            SegmentId segment = new SegmentId(environmentId, at.segmentKey());
            out.add(held(segment, () -> reader(segment).counts(segment, at.generation())));
        }
        return out;
    }

    /**
     * The other instance that holds the segment's members, or empty when this one does. Without an advertised
     * address ({@code application.server}) this is the only instance queries reach, and it answers itself.
     */
    public Optional<HostInfo> owner(SegmentId segment) {
        if (self.isEmpty()) {
            return Optional.empty();
        }
        HostInfo host = metadata(segment).activeHost();
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
            parameters = parameters.withPartition(metadata(segment).partition());
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

    private KeyQueryMetadata metadata(SegmentId segment) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(SegmentTopology.MEMBERS_STORE, Bytes.wrap(segment.toBytes()),
                    Serdes.Bytes().serializer());
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
