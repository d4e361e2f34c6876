package dev.bigsegments.writer.store;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sends commands on a connection whose auto-flush is off: flushes every {@code flushEvery} commands and,
 * once {@code maxInFlight} are unanswered, waits for them, so memory stays bounded on huge batches.
 * {@link #awaitAll()} returns only when every command succeeded; otherwise it throws, preferring a
 * permanent failure over a transient one so that a hopeless batch is not retried.
 */
final class RedisPipeline {
    private final StatefulRedisConnection<String, String> connection;
    private final int flushEvery;
    private final int maxInFlight;
    private final Duration timeout;
    private final List<Pending> pending = new ArrayList<>();
    private int unflushed;
    private StoreWriteException failure;

    RedisPipeline(StatefulRedisConnection<String, String> connection, int flushEvery, int maxInFlight,
            Duration timeout) {
        this.connection = connection;
        this.flushEvery = flushEvery;
        this.maxInFlight = maxInFlight;
        this.timeout = timeout;
    }

    /** @param what the command and key, for the error message */
    void send(String what, Supplier<RedisFuture<?>> command) {
        pending.add(new Pending(what, command.get()));
        if (++unflushed >= flushEvery) {
            flush();
        }
        if (pending.size() >= maxInFlight) {
            awaitPending();
        }
    }

    void awaitAll() {
        awaitPending();
        if (failure != null) {
            throw failure;
        }
    }

    private void flush() {
        connection.flushCommands();
        unflushed = 0;
    }

    private void awaitPending() {
        flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Pending p : pending) {
            await(p, deadline);
        }
        pending.clear();
    }

    private void await(Pending p, long deadline) {
        try {
            p.future().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            record(StoreWriteException.transientFailure(p.what() + " interrupted", e));
        } catch (ExecutionException | TimeoutException e) {
            record(RedisFailures.classify(p.what(), e));
        }
    }

    private void record(StoreWriteException e) {
        if (failure == null || (failure.transientFailure() && !e.transientFailure())) {
            failure = e;
        }
    }

    private record Pending(String what, RedisFuture<?> future) {
    }
}
