package dev.bigsegments.processor.topology;

import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/** The state stores of one task, looked up once at init. Names are in {@link SegmentTopology}. */
record SegmentStores(
        KeyValueStore<Bytes, SegmentDefinition> segments,
        KeyValueStore<Bytes, byte[]> members,
        KeyValueStore<Bytes, byte[]> staging,
        KeyValueStore<String, ImportStatus> imports,
        KeyValueStore<String, byte[]> work,
        WindowStore<String, Long> dedupe) {

    static SegmentStores from(ProcessingContext context) {
        return new SegmentStores(
                context.getStateStore(SegmentTopology.SEGMENTS_STORE),
                context.getStateStore(SegmentTopology.MEMBERS_STORE),
                context.getStateStore(SegmentTopology.STAGING_STORE),
                context.getStateStore(SegmentTopology.IMPORTS_STORE),
                context.getStateStore(SegmentTopology.WORK_STORE),
                context.getStateStore(SegmentTopology.DEDUPE_STORE));
    }
}
