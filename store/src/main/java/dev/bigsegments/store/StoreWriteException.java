package dev.bigsegments.store;

/**
 * A store write that may not have been applied. Transient failures (the store is unreachable, slow,
 * loading or busy) are worth retrying; permanent ones (permissions, wrong key types, configuration)
 * will fail the same way again. Messages name context hashes at most, never raw context keys.
 */
public final class StoreWriteException extends RuntimeException {
    private final boolean transientFailure;

    private StoreWriteException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public static StoreWriteException transientFailure(String message, Throwable cause) {
        return new StoreWriteException(message, cause, true);
    }

    public static StoreWriteException permanent(String message, Throwable cause) {
        return new StoreWriteException(message, cause, false);
    }

    public boolean transientFailure() {
        return transientFailure;
    }
}
