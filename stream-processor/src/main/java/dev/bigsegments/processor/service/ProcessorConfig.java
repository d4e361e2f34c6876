package dev.bigsegments.processor.service;

import dev.bigsegments.processor.topology.ProcessorSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The stream processor's own settings (bigsegments.processor.*). */
@ConfigMapping(prefix = "bigsegments.processor")
public interface ProcessorConfig {
    /** Run the processor in this application (off in an ingest-only or writer-only deployment). */
    @WithDefault("true")
    boolean enabled();

    /** Kafka Streams application id: the consumer group, and the prefix of internal topics. */
    @WithDefault("bigsegments-processor")
    String applicationId();

    /** RocksDB state directory; a persistent volume in Kubernetes. */
    @WithDefault("/tmp/bigsegments-processor")
    String stateDir();

    @WithDefault("1")
    int threads();

    @WithDefault("0")
    int standbyReplicas();

    @WithDefault("" + ProcessorSettings.DEFAULT_SLICE_SIZE)
    int sliceSize();

    @WithDefault("100ms")
    Duration punctuateInterval();

    @WithDefault("250ms")
    Duration sliceBudget();

    /** An import with no data for this long is stopped and changes nothing. */
    @WithDefault("10m")
    Duration abandonAfter();

    @WithDefault("1d")
    Duration dedupeRetention();

    /**
     * Over how many shards each segment's members are spread (by context hash), so that one import is applied
     * by that many tasks, on every instance's threads, instead of one. At most the commands topic's partitions.
     * 1 keeps a segment on one task. Fixed for the life of the processor's state: see docs/production.md to
     * change it.
     */
    @WithDefault("1")
    int shards();

    /**
     * This instance's address ({@code host:port} of its API port) as the other instances reach it, given to
     * Kafka Streams as {@code application.server}: a query for a segment held by another instance is passed
     * on there. Needed only with more than one instance.
     */
    Optional<String> advertisedAddress();

    default ProcessorSettings settings() {
        return new ProcessorSettings(sliceSize(), punctuateInterval(), sliceBudget(), abandonAfter(),
                dedupeRetention(), shards());
    }
}
