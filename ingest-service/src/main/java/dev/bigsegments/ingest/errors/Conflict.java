package dev.bigsegments.ingest.errors;

/** The request contradicts the current state: the segment exists, an import runs, a context kind differs. */
public final class Conflict extends IngestException {
    public Conflict(String message) {
        super(message);
    }
}
