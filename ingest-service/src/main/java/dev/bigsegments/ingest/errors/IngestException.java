package dev.bigsegments.ingest.errors;

/**
 * Why a request is refused, as the lower layers (auth, segments, imports, synced) know it. They say
 * what went wrong; the HTTP edge alone ({@code http.ErrorAnswers}) decides the status and the body.
 */
public abstract class IngestException extends RuntimeException {
    protected IngestException(String message) {
        super(message);
    }
}
