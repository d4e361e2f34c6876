package dev.bigsegments.ingest.synced;

import dev.bigsegments.ingest.http.ErrorAnswer;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers of the synced-segment endpoint: 204, or the error body; for a tool whose descriptor has
 * {@code jsonResponseBody}, Heap's body on success (200) and on error.
 */
public final class SyncedResponses {
    private static final String SEGMENTS_PATH = "/api/v2/segments/";
    private static final String SUCCESS = "success";
    private static final String FAILURE = "failure";

    private SyncedResponses() {
    }

    /** What is known of the request when answering; empty strings where not yet known. */
    public record Subject(String projectKey, String environmentKey, String segmentKey) {
        public static final Subject UNKNOWN = new Subject("", "", "");

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

    static Response error(IntegrationDescriptor descriptor, Subject subject, ErrorAnswer answer) {
        Response.ResponseBuilder r = Response.status(answer.status()).type(MediaType.APPLICATION_JSON)
                .entity(errorBody(descriptor, subject, answer));
        answer.headers().forEach(r::header);
        return r.build();
    }

    /** {@code {"code","message"}}, or Heap's failure body when the tool's descriptor asks for it. */
    public static Map<String, Object> errorBody(IntegrationDescriptor descriptor, Subject subject, ErrorAnswer answer) {
        if (descriptor == null || !descriptor.jsonResponseBody()) {
            return answer.body();
        }
        Map<String, Object> body = heap(subject);
        body.put("status", FAILURE);
        body.put("error", Map.of("message", answer.message(), "code", answer.status()));
        return body;
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
