package dev.bigsegments.ingest.body;

import dev.bigsegments.ingest.errors.LimitExceeded;
import java.io.InputStream;

/** The largest body an endpoint reads, and the setting that decides it (named in every refusal). */
public record BodyLimit(long bytes, String setting) {

    /** Refused when the declared length is already past the limit, before a byte of the body is read. */
    public void checkDeclared(long contentLength) {
        if (contentLength > bytes) {
            throw exceeded();
        }
    }

    /** The body, failing with {@link LimitedInputStream.TooLarge} as soon as more than the limit came. */
    public InputStream wrap(InputStream body) {
        return new LimitedInputStream(body, this);
    }

    public LimitExceeded exceeded() {
        return new LimitExceeded(message());
    }

    String message() {
        return "the body exceeds the limit of " + bytes + " bytes (" + setting + ")";
    }
}
