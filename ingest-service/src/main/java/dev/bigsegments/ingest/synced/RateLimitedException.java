package dev.bigsegments.ingest.synced;

import dev.bigsegments.ingest.rest.ApiException;

/** 429: the token sent more requests than its rate; transient, the sender retries after the delay. */
public final class RateLimitedException extends ApiException {
    private final long retryAfterSeconds;

    public RateLimitedException(long retryAfterSeconds) {
        super(429, "rate_limited", "too many requests for this token; retry after " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
