package dev.bigsegments.processor.topology;

import java.util.concurrent.atomic.LongAdder;

/**
 * Listed keys of imports that this JVM's stream threads applied (bigsegments.processor.import.keys.applied): with
 * shards and several processors, how one import's work divides between them. A slice applied again after a
 * crash counts again: this is work done, not the import's size.
 */
public final class AppliedKeys {
    private static final LongAdder APPLIED = new LongAdder();

    private AppliedKeys() {
    }

    public static long total() {
        return APPLIED.sum();
    }

    static void add(long keys) {
        APPLIED.add(keys);
    }
}
