package dev.bigsegments.ingest.errors;

/** A known token that may not use the environment (or an environment nobody may use). */
public final class Forbidden extends IngestException {
    public Forbidden(String message) {
        super(message);
    }
}
