package dev.bigsegments.ingest.rest;

/** An error answered to the client as {@code {"code": ..., "message": ...}} with its HTTP status. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
