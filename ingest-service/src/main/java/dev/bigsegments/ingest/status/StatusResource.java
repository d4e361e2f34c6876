package dev.bigsegments.ingest.status;

import dev.bigsegments.ingest.auth.TokenAuthorizer;
import dev.bigsegments.ingest.rest.ApiDocs;
import dev.bigsegments.ingest.status.StatusViews.PipelineStatus;
import dev.bigsegments.support.PipelineConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The pipeline's status, per environment and per store; a token sees the environments it may use. */
@Path("/status")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Status", description = "The pipeline's status")
public class StatusResource {
    @Inject
    StatusMonitor monitor;

    @Inject
    TokenAuthorizer authorizer;

    @Inject
    PipelineConfig pipeline;

    @GET
    @Operation(summary = "The pipeline's status",
            description = "The stream processor's lag; each store writer's lag, reachability and outage; per"
                    + " environment each store's last synchronizedOn and its age, the running imports with their"
                    + " progress and the latest finished ones; dead letters by source and reason. The environments"
                    + " are those the token may use.")
    @APIResponse(responseCode = "200", description = "The status",
            content = @Content(schema = @Schema(implementation = PipelineStatus.class)))
    public PipelineStatus status(
            @Parameter(description = ApiDocs.AUTH) @HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        return monitor.status(authorizer.allowedEnvironments(auth, pipeline.environments().keySet()),
                authorizer.allowsEveryEnvironment(auth));
    }
}
