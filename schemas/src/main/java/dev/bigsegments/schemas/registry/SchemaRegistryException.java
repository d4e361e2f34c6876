package dev.bigsegments.schemas.registry;

/**
 * A registry answered with an error, or could not be reached. Carries the HTTP status and the
 * registry's {@code error_code} (e.g. 40403 schema not found), or -1 when there was none.
 */
public final class SchemaRegistryException extends RuntimeException {
    /** Confluent error code: the subject does not exist. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent error code: the subject has no such version. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent error code: the schema (by id, or under a subject) does not exist. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent error code: the subject has no compatibility level of its own. */
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    /** Confluent error code (and HTTP status): the schema breaks the subject's compatibility level. */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** Confluent error code: the schema does not parse. */
    public static final int INVALID_SCHEMA = 42201;
    /** Confluent error code: a version that is neither a positive number nor "latest". */
    public static final int INVALID_VERSION = 42202;
    /** Confluent error code: an unknown compatibility level. */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    /** Confluent error code: the registry's store failed. */
    public static final int STORE_ERROR = 50001;

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

    /** What an error answer means to a caller, from its HTTP status and {@code error_code}. */
    public enum Kind {
        /** Unreachable, timed out, overloaded (429) or failing (5xx): try again later. */
        UNAVAILABLE,
        /** 401 or 403: the credentials are missing, wrong or not allowed. */
        NOT_AUTHORIZED,
        /** 40401, 40402, 40403: no such subject, version or schema. */
        NOT_FOUND,
        /** 409: the schema breaks the subject's compatibility level. */
        INCOMPATIBLE,
        /** 422: the schema, version or level sent is not valid. */
        INVALID,
        /** Anything else. */
        OTHER
    }

    public Kind kind() {
        if (unavailable()) {
            return Kind.UNAVAILABLE;
        }
        if (httpStatus == 401 || httpStatus == 403) {
            return Kind.NOT_AUTHORIZED;
        }
        if (errorCode == SUBJECT_NOT_FOUND || errorCode == VERSION_NOT_FOUND || errorCode == SCHEMA_NOT_FOUND) {
            return Kind.NOT_FOUND;
        }
        if (httpStatus == 409) {
            return Kind.INCOMPATIBLE;
        }
        return httpStatus == 422 ? Kind.INVALID : Kind.OTHER;
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
