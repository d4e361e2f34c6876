package dev.bigsegments.ingest.errors;

/** The request is larger than a configured limit; the message names the limit. */
public final class LimitExceeded extends IngestException {
    public LimitExceeded(String message) {
        super(message);
    }
}
