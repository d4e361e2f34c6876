package dev.bigsegments.standalone;

import java.util.ArrayList;
import java.util.List;

/**
 * The promise behind {@code synchronizedOn}, checked against samples of a store that only grows while
 * one import of {@code expected} members is applied: the stamp never moves backwards, and a stamp
 * later than the moment the import was handed to the pipeline means the store already holds all of it.
 *
 * <p>Each sample must read the stamp first and the member count after it. The writer takes a stamp's
 * value before it checks that the pipeline is caught up, and writes it after, so a correct stamp
 * {@code s > handedOver} was written when the store was already complete; the count, read later and
 * never shrinking, is then complete too: no false alarm. A writer that stamps too early leaves a window
 * between its write and the last member's arrival; a sample whose stamp read falls in that window reads
 * a short count and is reported. Read in the other order, a count taken just before the store filled up
 * and a stamp taken just after would raise an alarm about a correct writer.
 */
final class SynchronizedOnInvariant {
    private static final int MAX_KEPT = 20;

    private final long expected;
    private volatile long handedOver = Long.MAX_VALUE;
    private long lastStamp = Long.MIN_VALUE;
    private long checked;
    private final List<String> violations = new ArrayList<>();
    private long violationCount;

    SynchronizedOnInvariant(long expected) {
        this.expected = expected;
    }

    /** From now on stamps after {@code unixMs} are held to the full count. */
    void handedOverAt(long unixMs) {
        handedOver = unixMs;
    }

    /** One sample: the stamp (null when absent), then the members counted after reading it. */
    synchronized void observe(Long stamp, long members) {
        if (stamp == null) {
            return;
        }
        if (stamp < lastStamp) {
            violation("synchronizedOn moved backwards from " + lastStamp + " to " + stamp);
        }
        lastStamp = Math.max(lastStamp, stamp);
        if (stamp > handedOver) {
            checked++;
            if (members < expected) {
                violation("synchronizedOn " + stamp + " is after the import was handed over at " + handedOver
                        + " but the store holds " + members + " of " + expected + " members");
            }
        }
    }

    private void violation(String message) {
        violationCount++;
        if (violations.size() < MAX_KEPT) {
            violations.add(message);
        }
    }

    /** Samples held to the full count so far: zero means the promise was never put to the test. */
    synchronized long checked() {
        return checked;
    }

    /** The first violations seen (a broken stamp repeats in every sample), and how many there were. */
    synchronized List<String> violations() {
        if (violationCount <= violations.size()) {
            return List.copyOf(violations);
        }
        List<String> out = new ArrayList<>(violations);
        out.add("... " + (violationCount - violations.size()) + " more");
        return out;
    }
}
