package dev.bigsegments.ingest.synced;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenRateLimiterTest {
    @Test
    void aTokenMaySpendOneSecondsWorthThenWaitsWhileOtherTokensAreUnaffected() {
        AtomicLong now = new AtomicLong();
        TokenRateLimiter limiter = new TokenRateLimiter(now::get);
        assertThat(limiter.acquire("a", 2)).isZero();
        assertThat(limiter.acquire("a", 2)).isZero();
        assertThat(limiter.acquire("a", 2)).isEqualTo(1);
        assertThat(limiter.acquire("b", 2)).isZero();
        now.addAndGet(500_000_000L);
        assertThat(limiter.acquire("a", 2)).isZero();
        assertThat(limiter.acquire("slow", 0.1)).isZero();
        assertThat(limiter.acquire("slow", 0.1)).isEqualTo(10);
    }
}
