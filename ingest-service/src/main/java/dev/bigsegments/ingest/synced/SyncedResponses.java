package dev.bigsegments.ingest.synced;

import dev.bigsegments.ingest.rest.ApiException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers of the synced-segment endpoint: 204, or {@code {"code","message"}} on error; for a tool whose
 * descriptor has {@code jsonResponseBody}, Heap's body on success (200) and on error.
 */
final class SyncedResponses {
    private static final String SEGMENTS_PATH = "/api/v2/segments/";
    private static final String SUCCESS = "success";
    private static final String FAILURE = "failure";

    private SyncedResponses() {
    }

    /** What is known of the request when answering; empty strings where not yet known. */
    record Subject(String projectKey, String environmentKey, String segmentKey) {
        static final Subject UNKNOWN = new Subject("", "", "");

        String segmentUrl() {
            return segmentKey.isEmpty() ? "" : SEGMENTS_PATH + projectKey + "/" + environmentKey + "/" + segmentKey;
        }
    }

    static Response success(IntegrationDescriptor descriptor, Subject subject) {
        if (!descriptor.jsonResponseBody()) {
            return Response.noContent().build();
        }
        Map<String, Object> body = heap(subject);
        body.put("status", SUCCESS);
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    static Response error(IntegrationDescriptor descriptor, Subject subject, ApiException e) {
        Map<String, Object> body;
        if (descriptor != null && descriptor.jsonResponseBody()) {
            body = heap(subject);
            body.put("status", FAILURE);
            body.put("error", Map.of("message", e.getMessage(), "code", e.status()));
        } else {
            body = Map.of("code", e.code(), "message", e.getMessage());
        }
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(body);
        if (e instanceof RateLimitedException limited) {
            r.header(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()));
        }
        return r.build();
    }

    private static Map<String, Object> heap(Subject subject) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projectId", subject.projectKey());
        body.put("environmentId", subject.environmentKey());
        body.put("segmentId", subject.segmentKey());
        body.put("segmentUrl", subject.segmentUrl());
        return body;
    }
}
