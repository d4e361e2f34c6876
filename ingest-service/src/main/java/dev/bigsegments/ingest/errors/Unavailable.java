package dev.bigsegments.ingest.errors;

/** The pipeline did not take or confirm the change in time; the client retries. */
public final class Unavailable extends IngestException {
    public Unavailable(String message) {
        super(message);
    }
}
