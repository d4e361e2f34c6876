package dev.bigsegments.ingest.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error as the client receives it: the status, {@code {"code","message"}}, and any headers it needs. */
public record ErrorAnswer(int status, String code, String message, Map<String, String> headers) {

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return body;
    }
}
