package dev.bigsegments.ingest.errors;

/** The request is malformed or a field is wrong; the message names the field (JSON Pointer) or the location. */
public final class InvalidRequest extends IngestException {
    public InvalidRequest(String message) {
        super(message);
    }
}
