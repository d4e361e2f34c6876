package dev.bigsegments.ingest.synced;

/** A request that does not fit its integration's parser: permanent, answered 400 with the pointer. */
public final class InvalidPayloadException extends RuntimeException {
    public InvalidPayloadException(String message) {
        super(message);
    }
}
