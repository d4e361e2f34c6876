package dev.bigsegments.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailedAuthLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void anAddressPastItsFailuresWaitsForTheRestOfItsWindowWhileOthersAreUnaffected() {
        AtomicLong now = new AtomicLong();
        FailedAuthLimiter limiter = new FailedAuthLimiter(3, Duration.ofMinutes(1), now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.failed("10.0.0.1")).isZero();
        }
        now.addAndGet(20 * SECOND);
        assertThat(limiter.failed("10.0.0.1")).isEqualTo(40);
        assertThat(limiter.failed("10.0.0.2")).isZero();
        now.addAndGet(39 * SECOND + SECOND / 2);
        assertThat(limiter.failed("10.0.0.1")).isEqualTo(1);
        now.addAndGet(SECOND);
        assertThat(limiter.failed("10.0.0.1")).as("a new window").isZero();
    }

    @Test
    void zeroFailuresDisablesTheLimit() {
        FailedAuthLimiter limiter = new FailedAuthLimiter(0, Duration.ofMinutes(1), () -> 0);
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.failed("10.0.0.1")).isZero();
        }
    }

    @Test
    void theTableForgetsTheLeastRecentlySeenAddressesPastItsSize() {
        AtomicLong now = new AtomicLong();
        FailedAuthLimiter limiter = new FailedAuthLimiter(1, Duration.ofMinutes(1), now::get);
        limiter.failed("first");
        for (int i = 0; i < FailedAuthLimiter.MAX_ADDRESSES; i++) {
            limiter.failed("other-" + i);
        }
        assertThat(limiter.failed("first")).as("forgotten, so counted afresh").isZero();
        assertThat(limiter.failed("first")).isPositive();
    }
}
