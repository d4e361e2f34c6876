package dev.bigsegments.store.dynamodb;

import dev.bigsegments.schemas.Backoff;
import dev.bigsegments.store.StoreWriteException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Runs asynchronous calls with at most {@code maxConcurrency} in flight, each retried on transient failure
 * with exponential backoff and full jitter up to the backoff's attempt limit. {@link #runAll} returns only
 * when every call succeeded; otherwise it throws, preferring a permanent failure, and after a permanent
 * failure it sends nothing more of that batch (the whole batch is reported as not applied).
 */
final class BoundedCalls {
    /** One call; {@code what} names the operation, table and item for error messages. */
    record Call(String what, Supplier<CompletableFuture<?>> send) {
    }

    private final Semaphore permits;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong retries = new AtomicLong();

    BoundedCalls(int maxConcurrency, Backoff backoff, ScheduledExecutorService scheduler) {
        this.permits = new Semaphore(maxConcurrency);
        this.backoff = backoff;
        this.scheduler = scheduler;
    }

    void runAll(List<Call> calls) {
        Outcome outcome = new Outcome(calls.size());
        try {
            for (Call call : calls) {
                if (outcome.hasPermanentFailure()) {
                    outcome.skipped();
                    continue;
                }
                permits.acquire();
                attempt(call, 1, outcome);
            }
            outcome.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreWriteException.transientFailure("interrupted while writing to DynamoDB", e);
        }
        outcome.throwIfFailed();
    }

    /** Transient failures retried so far, over the life of this instance. */
    long retries() {
        return retries.get();
    }

    private void attempt(Call call, int attempt, Outcome outcome) {
        CompletableFuture<?> future;
        try {
            future = call.send().get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((result, error) -> {
            if (error == null) {
                permits.release();
                outcome.done(null);
            } else if (DynamoDbFailures.isTransient(error) && attempt < backoff.maxAttempts()
                    && !outcome.hasPermanentFailure()) {
                retries.incrementAndGet();
                try {
                    scheduler.schedule(() -> attempt(call, attempt + 1, outcome), backoff.delay(attempt).toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closing) {
                    permits.release();
                    outcome.done(DynamoDbFailures.classify(call.what() + " (store closing)", error));
                }
            } else {
                permits.release();
                outcome.done(DynamoDbFailures.classify(call.what() + " (attempt " + attempt + ")", error));
            }
        });
    }

    /** Counts calls down and keeps the failure to report: the first permanent one, else the first. */
    private static final class Outcome {
        private final CountDownLatch pending;
        private StoreWriteException failure;

        Outcome(int calls) {
            this.pending = new CountDownLatch(calls);
        }

        synchronized boolean hasPermanentFailure() {
            return failure != null && !failure.transientFailure();
        }

        void skipped() {
            pending.countDown();
        }

        void done(StoreWriteException e) {
            synchronized (this) {
                if (e != null && (failure == null || (failure.transientFailure() && !e.transientFailure()))) {
                    failure = e;
                }
            }
            pending.countDown();
        }

        void await() throws InterruptedException {
            pending.await();
        }

        synchronized void throwIfFailed() {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
