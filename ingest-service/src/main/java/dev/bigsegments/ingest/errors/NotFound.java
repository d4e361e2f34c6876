package dev.bigsegments.ingest.errors;

/** The project, environment, segment, import or integration does not exist. */
public final class NotFound extends IngestException {
    public NotFound(String message) {
        super(message);
    }
}
