package dev.bigsegments.writer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, bounded in attempts: delay = random(0, min(max, base * 2^n)). */
public record Backoff(Duration base, Duration max, int maxAttempts) {
    public static final Duration DEFAULT_BASE = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_ATTEMPTS = 10;

    public static Backoff defaults() {
        return new Backoff(DEFAULT_BASE, DEFAULT_MAX, DEFAULT_MAX_ATTEMPTS);
    }

    /** The delay before retry number {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        long cap = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
    }
}
