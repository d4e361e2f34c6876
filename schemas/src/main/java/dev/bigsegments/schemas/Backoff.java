package dev.bigsegments.schemas;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: delay = random(0, min(max, base * 2^n)). {@code maxAttempts} bounds
 * the retries of one call inside a store; the writer's own retries are {@link #unlimited}: an outage is
 * waited out, however long it lasts.
 */
public record Backoff(Duration base, Duration max, int maxAttempts) {
    public static final Duration DEFAULT_BASE = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(30);

    public static Backoff defaults() {
        return unlimited(DEFAULT_BASE, DEFAULT_MAX);
    }

    /** Retries for as long as the failure lasts, at most {@code max} apart. */
    public static Backoff unlimited(Duration base, Duration max) {
        return new Backoff(base, max, Integer.MAX_VALUE);
    }

    /** The delay before retry number {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        long cap = Math.min(max.toMillis(), base.toMillis() << Math.min(Math.max(attempt, 1) - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
    }
}
