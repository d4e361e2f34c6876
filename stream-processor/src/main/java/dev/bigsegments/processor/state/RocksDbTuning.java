package dev.bigsegments.processor.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB settings of the processor's stores, on top of Kafka Streams' defaults ({@code rocksdb.config.setter}).
 *
 * <p>Applying an import looks every listed key up in the members store, then writes it. Profiled (perf on
 * the stream thread) during a re-import of 1,000,000 keys, RocksDB took half of the thread, and the largest
 * part was the search of the memtables' skip lists that every lookup makes before it reads the files,
 * although almost every key looked up had long been flushed. A whole-key bloom filter on each memtable
 * answers those lookups without the search, for 2% of the write buffer (about 330 KiB of a 16 MiB memtable).
 */
public final class RocksDbTuning implements RocksDBConfigSetter {
    /** The memtable bloom filter's size as a share of the write buffer. */
    static final double MEMTABLE_BLOOM_RATIO = 0.02;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setMemtableWholeKeyFiltering(true);
        options.setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO);
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing of its own to release: the filter belongs to the memtables.
    }
}
