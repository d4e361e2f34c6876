package dev.bigsegments.writer.store;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.IntFunction;

/**
 * Pipelines commands on one {@link RespConnection}, across batches: the caller encodes each command and
 * calls {@link #sent(Batch)}. The connection is written every {@code flushEvery} commands (or sooner when
 * its buffer is full); replies that have arrived are read after each write, and once {@code maxInFlight}
 * commands are unanswered sending waits for half of them, so memory stays bounded however large the
 * batches. Replies come back in order and each one is checked and counted against the batch it answers;
 * {@link #await(Batch)} returns only when every command of the batch succeeded and otherwise throws,
 * preferring a permanent failure over a transient one so that a hopeless batch is not retried.
 */
final class RedisPipeline {
    private final RespConnection connection;
    private final int flushEvery;
    private final int maxInFlight;
    private final ArrayDeque<Batch> unanswered = new ArrayDeque<>();
    private int inFlight;
    private int unflushed;

    RedisPipeline(RespConnection connection, int flushEvery, int maxInFlight) {
        this.connection = connection;
        this.flushEvery = flushEvery;
        this.maxInFlight = maxInFlight;
    }

    RespConnection connection() {
        return connection;
    }

    /**
     * @param describe the command and key of the n-th command of the batch, for error messages
     */
    Batch begin(RespConnection.Reply expected, IntFunction<String> describe) {
        Batch batch = new Batch(this, expected, describe);
        unanswered.addLast(batch);
        return batch;
    }

    /** Counts the command just encoded for {@code batch}; writes and reads as the window requires. */
    void sent(Batch batch) throws IOException {
        batch.sent++;
        inFlight++;
        if (++unflushed >= flushEvery || connection.full()) {
            flush();
            while (inFlight > 0 && connection.replyArrived()) {
                readOne();
            }
        }
        if (inFlight >= maxInFlight) {
            flush();
            while (inFlight > maxInFlight / 2) {
                readOne();
            }
        }
    }

    /** Marks the batch fully encoded and writes it out, without waiting for replies. */
    void complete(Batch batch) throws IOException {
        batch.complete = true;
        flush();
        dropAnswered();
    }

    /** Reads replies until every command of the batch is answered; throws the batch's failure if any. */
    void await(Batch batch) throws IOException {
        flush();
        while (batch.answered < batch.sent) {
            readOne();
        }
        dropAnswered();
        if (batch.failure != null) {
            throw batch.failure;
        }
    }

    private void flush() throws IOException {
        connection.flush();
        unflushed = 0;
    }

    private void readOne() throws IOException {
        dropAnswered();
        Batch batch = unanswered.peekFirst();
        String error = connection.reply(batch.expected);
        if (error != null) {
            batch.record(RedisFailures.reply(batch.describe.apply(batch.answered), error));
        }
        batch.answered++;
        inFlight--;
    }

    /** Forgets leading batches that are fully encoded and answered. */
    private void dropAnswered() {
        for (Batch head = unanswered.peekFirst(); head != null && head.complete && head.answered == head.sent;
                head = unanswered.peekFirst()) {
            unanswered.removeFirst();
        }
    }

    /** The commands of one {@link MembershipStore#send} or stamp, and what their replies said. */
    static final class Batch {
        private final RedisPipeline pipeline;
        private final RespConnection.Reply expected;
        private final IntFunction<String> describe;
        private int sent;
        private int answered;
        private boolean complete;
        private StoreWriteException failure;

        private Batch(RedisPipeline pipeline, RespConnection.Reply expected, IntFunction<String> describe) {
            this.pipeline = pipeline;
            this.expected = expected;
            this.describe = describe;
        }

        RedisPipeline pipeline() {
            return pipeline;
        }

        private void record(StoreWriteException e) {
            if (failure == null || (failure.transientFailure() && !e.transientFailure())) {
                failure = e;
            }
        }
    }
}
