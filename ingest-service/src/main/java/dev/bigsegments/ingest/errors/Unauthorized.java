package dev.bigsegments.ingest.errors;

/** No token, or a token the service does not know. */
public final class Unauthorized extends IngestException {
    public Unauthorized(String message) {
        super(message);
    }
}
