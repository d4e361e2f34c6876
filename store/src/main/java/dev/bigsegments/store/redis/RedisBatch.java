package dev.bigsegments.store.redis;

import dev.bigsegments.store.StoreWriteException;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/**
 * The commands of one {@link MembershipStore#send} and their outcomes, counted as Lettuce completes them: every
 * reply is checked against its command, and a batch fails with its first permanent failure if any (a hopeless
 * batch is then not retried), else its first transient one.
 */
final class RedisBatch {
    private final IntFunction<String> describe;
    private final Semaphore inFlight;
    private int remaining;
    private int answered;
    private final int releaseEvery;
    /** Answers whose permits are not given back yet. */
    private int unreleased;
    private StoreWriteException failure;
    private boolean givenUp;

    /**
     * @param inFlight a permit is taken per command sent and given back here when it is answered
     * @param releaseEvery permits go back this many at a time (and the rest when the last command is answered):
     *     a writer waiting for permits is woken once per group, not once per reply, which with the window full
     *     made the writer and the event loop hand the commands over one by one
     */
    RedisBatch(int commands, IntFunction<String> describe, Semaphore inFlight, int releaseEvery) {
        this.remaining = commands;
        this.describe = describe;
        this.inFlight = inFlight;
        this.releaseEvery = releaseEvery;
    }

    /** A command was answered ({@code error} is an error reply) or failed without an answer ({@code failure}). */
    synchronized void answered(int index, String error, Throwable failure) {
        if (error != null) {
            record(RedisFailures.reply(describe.apply(index), error));
        } else if (failure != null) {
            record(RedisFailures.of(describe.apply(index), failure));
        }
        remaining--;
        answered++;
        if (!givenUp && (++unreleased >= releaseEvery || remaining <= 0)) {
            inFlight.release(unreleased);
            unreleased = 0;
        }
        // Only the last answer wakes the waiting writer: it looks at the count between short waits anyway, and a
        // wake-up per reply (millions in a rebuild) cost the writer a thread switch each.
        if (remaining <= 0) {
            notifyAll();
        }
    }

    /**
     * The batch's connection was replaced before every command was answered: the permits of the commands still
     * unanswered are given back now (they may never be answered), and not again should an answer come late.
     */
    synchronized void giveUp() {
        if (!givenUp && remaining + unreleased > 0) {
            inFlight.release(remaining + unreleased);
            unreleased = 0;
        }
        givenUp = true;
        notifyAll();
    }

    synchronized int answered() {
        return answered;
    }

    /** Fewer commands were sent than the batch holds: the rest will never be answered. */
    synchronized void abandon(int unsent) {
        remaining -= unsent;
        notifyAll();
    }

    /** Waits up to {@code millis} for every command; returns the number answered so far. */
    synchronized int await(long millis) throws InterruptedException {
        if (remaining > 0) {
            wait(millis);
        }
        return answered;
    }

    synchronized boolean done() {
        return remaining <= 0;
    }

    synchronized StoreWriteException failure() {
        return failure;
    }

    private void record(StoreWriteException e) {
        if (failure == null || (failure.transientFailure() && !e.transientFailure())) {
            failure = e;
        }
    }
}
