package dev.bigsegments.processor.service;

import dev.bigsegments.schemas.query.PipelineQueries.QueryUnavailable;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Errors of the query endpoint, in the project's error shape. */
public class QueryErrors {
    private static final Logger LOG = LoggerFactory.getLogger(QueryErrors.class);

    @ServerExceptionMapper
    public Response unavailable(QueryUnavailable e) {
        LOG.info("query not answered: {}", e.getMessage());
        return Response.status(503).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", "unavailable", "message", e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", "invalid_request", "message", e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        String reference = UUID.randomUUID().toString();
        LOG.error("query failed (reference {})", reference, e);
        return Response.status(500).type(MediaType.APPLICATION_JSON).entity(Map.of("code", "internal_error",
                "message", "the query failed inside the stream processor; the log has the cause under reference "
                        + reference)).build();
    }
}
