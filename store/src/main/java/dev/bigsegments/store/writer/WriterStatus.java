package dev.bigsegments.store.writer;

import java.util.Map;
import java.util.Set;

/**
 * What a writer is doing, for health checks and status pages.
 *
 * @param failure why the writer stopped for good (a permanent error), or null
 * @param outage what the writer is waiting out, or null
 * @param lost environments whose store lost its data and, with refills off, waits for an operator
 * @param refilling partitions being refilled, by environment
 * @param lastStamps Unix ms of the last {@code synchronizedOn} written, by environment
 */
public record WriterStatus(boolean running, Throwable failure, Outage outage, Set<String> lost,
        Map<String, Set<Integer>> refilling, Map<String, Long> lastStamps) {

    /** Writing, and able to call its store current: no outage, no environment waiting for an operator. */
    public boolean ready() {
        return running && outage == null && lost.isEmpty();
    }
}
