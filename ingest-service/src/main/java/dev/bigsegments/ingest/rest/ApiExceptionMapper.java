package dev.bigsegments.ingest.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders {@link ApiException} as LaunchDarkly's API renders errors. */
public class ApiExceptionMapper {
    @ServerExceptionMapper
    public Response map(ApiException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", e.code(), "message", e.getMessage())).build();
    }
}
