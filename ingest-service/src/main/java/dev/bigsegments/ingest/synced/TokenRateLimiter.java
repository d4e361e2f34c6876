package dev.bigsegments.ingest.synced;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** A token bucket per API token: {@code rate} requests a second, bursts up to one second's worth. */
public final class TokenRateLimiter {
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenRateLimiter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** @return 0 when the request may proceed, else the whole seconds to wait before retrying */
    public long acquire(String token, double rate) {
        if (rate <= 0) {
            return 0;
        }
        return buckets.computeIfAbsent(token, t -> new Bucket(rate, nanoClock.getAsLong())).take(rate, nanoClock.getAsLong());
    }

    private static final class Bucket {
        private double available;
        private long last;

        Bucket(double rate, long now) {
            this.available = Math.max(1, rate);
            this.last = now;
        }

        synchronized long take(double rate, long now) {
            double capacity = Math.max(1, rate);
            available = Math.min(capacity, available + (now - last) / 1e9 * rate);
            last = now;
            if (available >= 1) {
                available -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - available) / rate));
        }
    }
}
