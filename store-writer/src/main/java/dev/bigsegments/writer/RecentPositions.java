package dev.bigsegments.writer;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where each partition stood over the last while, from the writer's commits: after a store outage the writer
 * goes back to where it was a little before it began and applies those records again, since a store that
 * failed over to a replica (or restarted from a file synced once a second) may have lost writes it had
 * acknowledged. Records are applied in order and set operations are idempotent, so this is always safe.
 */
final class RecentPositions {
    private final long keepMillis;
    private final Map<TopicPartition, ArrayDeque<long[]>> positions = new HashMap<>();

    /** @param keepMillis how far back positions are kept (the replay window, with a margin) */
    RecentPositions(long keepMillis) {
        this.keepMillis = keepMillis;
    }

    /** The partition stood at {@code offset} (everything before it applied) at {@code atMillis}. */
    void record(TopicPartition tp, long offset, long atMillis) {
        ArrayDeque<long[]> history = positions.computeIfAbsent(tp, t -> new ArrayDeque<>());
        history.addLast(new long[] {atMillis, offset});
        // Keeps the last position older than the window too: that is where a replay would start.
        while (history.size() > 1 && secondOf(history)[0] < atMillis - keepMillis) {
            history.pollFirst();
        }
    }

    private static long[] secondOf(ArrayDeque<long[]> history) {
        var it = history.iterator();
        it.next();
        return it.next();
    }

    /** Where the partition stood at {@code atMillis} (the oldest position known when that is older), or null. */
    Long at(TopicPartition tp, long atMillis) {
        ArrayDeque<long[]> history = positions.get(tp);
        if (history == null || history.isEmpty()) {
            return null;
        }
        long found = history.peekFirst()[1];
        for (long[] entry : history) {
            if (entry[0] > atMillis) {
                break;
            }
            found = entry[1];
        }
        return found;
    }

    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(positions::remove);
    }
}
