package dev.bigsegments.processor.topology;

import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/** The state stores of one task, looked up once at init. Names are in {@link SegmentTopology}. */
record SegmentStores(
        KeyValueStore<Bytes, SegmentDefinition> segments,
        KeyValueStore<Bytes, byte[]> members,
        KeyValueStore<Bytes, byte[]> staging,
        KeyValueStore<Bytes, byte[]> listed,
        KeyValueStore<String, ImportStatus> imports,
        KeyValueStore<String, byte[]> work,
        WindowStore<String, Long> dedupe) {

    static SegmentStores from(ProcessingContext context) {
        return new SegmentStores(
                context.getStateStore(SegmentTopology.SEGMENTS_STORE),
                context.getStateStore(SegmentTopology.MEMBERS_STORE),
                context.getStateStore(SegmentTopology.STAGING_STORE),
                context.getStateStore(SegmentTopology.LISTED_STORE),
                context.getStateStore(SegmentTopology.IMPORTS_STORE),
                context.getStateStore(SegmentTopology.WORK_STORE),
                context.getStateStore(SegmentTopology.DEDUPE_STORE));
    }

    /**
     * Up to {@code limit} members under {@code prefix} after {@code cursor} (from the first when null), read with
     * the iterator closed before the caller writes anything.
     */
    List<KeyValue<Bytes, byte[]>> membersAfter(byte[] prefix, byte[] cursor, int limit) {
        Bytes from = StateKeys.rangeStart(prefix, cursor);
        List<KeyValue<Bytes, byte[]>> slice = new ArrayList<>();
        if (from == null) {
            return slice;
        }
        try (KeyValueIterator<Bytes, byte[]> it = members.range(from, StateKeys.rangeEnd(prefix))) {
            while (slice.size() < limit && it.hasNext()) {
                slice.add(it.next());
            }
        }
        return slice;
    }
}
