package dev.bigsegments.ingest.rest;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** What every request about one segment names: its project, environment and key, and the token. */
public class SegmentPath {
    @Parameter(description = ApiDocs.PROJECT)
    @PathParam("projectKey")
    String projectKey;

    @Parameter(description = ApiDocs.ENVIRONMENT)
    @PathParam("environmentKey")
    String environmentKey;

    @Parameter(description = ApiDocs.SEGMENT)
    @PathParam("segmentKey")
    String segmentKey;

    @Parameter(description = ApiDocs.AUTH)
    @HeaderParam(HttpHeaders.AUTHORIZATION)
    String authorization;
}
