package dev.bigsegments.schemas.registry;

/**
 * A registry answered with an error, or could not be reached. Carries the HTTP status and the
 * registry's {@code error_code} (e.g. 40403 schema not found), or -1 when there was none.
 */
public final class SchemaRegistryException extends RuntimeException {
    /** Confluent error code: the subject does not exist. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent error code: the schema (by id, or under a subject) does not exist. */
    public static final int SCHEMA_NOT_FOUND = 40403;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = -1;
        this.errorCode = -1;
    }

    /**
     * The registry could not answer: unreachable, timed out, overloaded (429) or failing (5xx). Such a
     * failure says nothing about the record being read: retry later, never treat the record as bad.
     */
    public boolean unavailable() {
        return httpStatus == -1 || httpStatus == 429 || httpStatus >= 500;
    }

    /** The HTTP status, or -1 when no response was received. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code}, or -1 when the response carried none. */
    public int errorCode() {
        return errorCode;
    }
}
