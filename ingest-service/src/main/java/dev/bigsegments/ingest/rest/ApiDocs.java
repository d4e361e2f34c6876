package dev.bigsegments.ingest.rest;

/** Descriptions the OpenAPI annotations of several endpoints share (annotation values must be constants). */
public final class ApiDocs {
    public static final String AUTH = "The API token, raw or as \"Bearer <token>\"";
    public static final String PROJECT = "Project key (bigsegments.environments.<name>.project-key)";
    public static final String ENVIRONMENT = "Environment key (bigsegments.environments.<name>.environment-key)";
    public static final String SEGMENT = "The big segment's key";
    public static final String LIMIT = "Items per page, 1 to 500 (default 50)";
    public static final String IDEMPOTENCY = "Names the request: a retry with the same key is the same change";

    private ApiDocs() {
    }
}
