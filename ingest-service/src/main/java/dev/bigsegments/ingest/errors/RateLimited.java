package dev.bigsegments.ingest.errors;

/** Too many requests (or too many bad tokens) for now: transient, the client retries after the delay. */
public final class RateLimited extends IngestException {
    private final long retryAfterSeconds;

    public RateLimited(String message, long retryAfterSeconds) {
        super(message + "; retry after " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
