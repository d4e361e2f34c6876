package dev.bigsegments.ingest.auth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts requests with a missing or unknown token per client address in fixed windows. Past
 * {@code maxFailures} in a window, the address's next failures are refused for the rest of it (429), so
 * guessing tokens and flooding the log cost the sender, not the service. Requests with a valid token are
 * never counted or refused. At most {@link #MAX_ADDRESSES} addresses are tracked (least recently seen
 * forgotten first), so a sender of many addresses cannot grow the table.
 */
public final class FailedAuthLimiter {
    static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    private static final class Window {
        long start;
        int failures;
    }

    /** @param maxFailures failures allowed per window and address; 0 disables the limit */
    public FailedAuthLimiter(int maxFailures, Duration window, LongSupplier nanoClock) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Records a failed authentication from {@code address}.
     *
     * @return 0 while the address is within its limit, else the whole seconds until its window ends
     */
    public synchronized long failed(String address) {
        if (maxFailures <= 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        Window w = windows.computeIfAbsent(address, a -> new Window());
        if (w.failures == 0 || now - w.start >= windowNanos) {
            w.start = now;
            w.failures = 0;
        }
        w.failures++;
        if (w.failures <= maxFailures) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil((w.start + windowNanos - now) / 1e9));
    }
}
