package dev.bigsegments.processor.topology;

import java.time.Duration;

/**
 * Tuning of the topology's background work.
 *
 * @param sliceSize keys handled per slice of an apply or clean-up (bounded so no transaction grows large)
 * @param punctuateInterval how often (wall clock) background work is advanced
 * @param sliceBudget wall time one punctuation may spend on slices before yielding to record processing
 * @param abandonAfter an import still staging with no chunk for this long is stopped and changes nothing
 * @param dedupeRetention how long command ids are remembered for de-duplication
 * @param shards how many shards each segment's members are spread over (1: a segment is one task's)
 */
public record ProcessorSettings(int sliceSize, Duration punctuateInterval, Duration sliceBudget,
        Duration abandonAfter, Duration dedupeRetention, int shards) {

    public ProcessorSettings(int sliceSize, Duration punctuateInterval, Duration sliceBudget, Duration abandonAfter,
            Duration dedupeRetention) {
        this(sliceSize, punctuateInterval, sliceBudget, abandonAfter, dedupeRetention, 1);
    }

    public static final int DEFAULT_SLICE_SIZE = 5_000;
    public static final Duration DEFAULT_PUNCTUATE_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_SLICE_BUDGET = Duration.ofMillis(250);
    public static final Duration DEFAULT_ABANDON_AFTER = Duration.ofMinutes(10);
    public static final Duration DEFAULT_DEDUPE_RETENTION = Duration.ofDays(1);

    public static ProcessorSettings defaults() {
        return new ProcessorSettings(DEFAULT_SLICE_SIZE, DEFAULT_PUNCTUATE_INTERVAL, DEFAULT_SLICE_BUDGET,
                DEFAULT_ABANDON_AFTER, DEFAULT_DEDUPE_RETENTION);
    }

    public ProcessorSettings withSliceSize(int size) {
        return new ProcessorSettings(size, punctuateInterval, sliceBudget, abandonAfter, dedupeRetention, shards);
    }

    public ProcessorSettings withSliceBudget(Duration budget) {
        return new ProcessorSettings(sliceSize, punctuateInterval, budget, abandonAfter, dedupeRetention, shards);
    }

    public ProcessorSettings withAbandonAfter(Duration after) {
        return new ProcessorSettings(sliceSize, punctuateInterval, sliceBudget, after, dedupeRetention, shards);
    }

    public ProcessorSettings withShards(int count) {
        return new ProcessorSettings(sliceSize, punctuateInterval, sliceBudget, abandonAfter, dedupeRetention, count);
    }
}
