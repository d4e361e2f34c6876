package dev.bigsegments.ingest.http;

import dev.bigsegments.ingest.errors.Conflict;
import dev.bigsegments.ingest.errors.Forbidden;
import dev.bigsegments.ingest.errors.IngestException;
import dev.bigsegments.ingest.errors.InvalidRequest;
import dev.bigsegments.ingest.errors.LimitExceeded;
import dev.bigsegments.ingest.errors.NotFound;
import dev.bigsegments.ingest.errors.RateLimited;
import dev.bigsegments.ingest.errors.Unauthorized;
import dev.bigsegments.ingest.errors.Unavailable;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The one place that turns a refusal into an HTTP status and an error body. The JAX-RS exception
 * mappers, the request guard (before a resource runs) and the synced endpoint's Heap body all render
 * what it returns.
 */
public final class ErrorAnswers {
    private static final Logger LOG = Logger.getLogger(ErrorAnswers.class);
    private static final String RETRY_AFTER = "Retry-After";

    private record Kind(int status, String code) {
    }

    private static final Map<Class<? extends IngestException>, Kind> DOMAIN = Map.of(
            InvalidRequest.class, new Kind(400, "invalid_request"),
            Unauthorized.class, new Kind(401, "unauthorized"),
            Forbidden.class, new Kind(403, "forbidden"),
            NotFound.class, new Kind(404, "not_found"),
            Conflict.class, new Kind(409, "conflict"),
            LimitExceeded.class, new Kind(413, "payload_too_large"),
            RateLimited.class, new Kind(429, "rate_limited"),
            Unavailable.class, new Kind(503, "pipeline_unavailable"));

    /** Codes of the answers the HTTP framework gives on its own (no route, wrong method or media type). */
    private static final Map<Integer, String> FRAMEWORK = Map.ofEntries(
            Map.entry(400, "invalid_request"), Map.entry(401, "unauthorized"), Map.entry(403, "forbidden"),
            Map.entry(404, "not_found"), Map.entry(405, "method_not_allowed"), Map.entry(406, "not_acceptable"),
            Map.entry(408, "request_timeout"), Map.entry(409, "conflict"), Map.entry(411, "length_required"),
            Map.entry(413, "payload_too_large"), Map.entry(414, "uri_too_long"),
            Map.entry(415, "unsupported_media_type"), Map.entry(429, "rate_limited"),
            Map.entry(431, "headers_too_large"), Map.entry(503, "unavailable"));

    private ErrorAnswers() {
    }

    public static ErrorAnswer of(IngestException e) {
        Kind kind = DOMAIN.get(e.getClass());
        if (kind == null) {
            throw new IllegalStateException("no HTTP answer for " + e.getClass().getName(), e);
        }
        Map<String, String> headers = e instanceof RateLimited limited
                ? Map.of(RETRY_AFTER, Long.toString(limited.retryAfterSeconds())) : Map.of();
        return new ErrorAnswer(kind.status(), kind.code(), e.getMessage(), headers);
    }

    /** A client error the framework decided (a 4xx), given in the same shape. */
    public static ErrorAnswer framework(int status, String message, Map<String, String> headers) {
        return new ErrorAnswer(status, FRAMEWORK.getOrDefault(status, "http_" + status), message, headers);
    }

    /**
     * A failure of the service itself: logged at ERROR with its cause and a reference, and answered with a
     * generic message carrying only that reference.
     *
     * @param request the request's method and path, for the log line
     */
    public static ErrorAnswer unexpected(Throwable cause, String request) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(cause, "%s failed (reference %s)", request, reference);
        return internal(reference);
    }

    static ErrorAnswer internal(String reference) {
        return new ErrorAnswer(500, "internal_error",
                "the request failed inside the service; the log has the cause under reference " + reference, Map.of());
    }
}
