package dev.bigsegments.ingest.imports;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What became of an import's chunk sends. Chunks are sent without waiting (one at a time would cap an import at
 * the broker's round trip), so a send that fails is only known from its callback; the upload asks here, after
 * the producer is flushed, whether every chunk reached Kafka before it sends the commit.
 */
final class ChunkDeliveries {
    /** How many failed chunks a message names at most. */
    static final int NAMED = 10;

    private final SortedSet<Long> failed = new ConcurrentSkipListSet<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();

    void failed(long sequence, Exception error) {
        failures.incrementAndGet();
        firstError.compareAndSet(null, error);
        if (failed.size() < NAMED) {
            failed.add(sequence);
        }
    }

    boolean allDelivered() {
        return failures.get() == 0;
    }

    Exception firstError() {
        return firstError.get();
    }

    /** Why the import cannot be committed, naming the chunks that did not reach Kafka; null when all did. */
    String failure(long chunkCount) {
        if (allDelivered()) {
            return null;
        }
        List<Long> named = new ArrayList<>(failed);
        long count = failures.get();
        Exception error = firstError.get();
        return count + " of " + chunkCount + " chunk(s) could not be published to Kafka (chunk(s) " + named
                + (count > named.size() ? " and more" : "") + ": " + error.getClass().getSimpleName() + ": "
                + error.getMessage() + "); nothing of the import was applied: upload the file again";
    }
}
