package dev.bigsegments.ingest.rest;

import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.auth.Environments;
import dev.bigsegments.ingest.auth.TokenAuthorizer;
import dev.bigsegments.ingest.publish.PipelineClient;
import dev.bigsegments.ingest.rest.SegmentRequests.ContextsBody;
import dev.bigsegments.ingest.rest.SegmentRequests.CreateSegmentBody;
import dev.bigsegments.ingest.rest.SegmentRequests.SegmentView;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.DeleteSegment;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.ingest.publish.CommandPublisher;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;

/** Big segments: create, change contexts, delete. LaunchDarkly-compatible paths and bodies. */
@Path("/api/v2/segments/{projectKey}/{environmentKey}")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentsResource {
    private static final Pattern SEGMENT_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,255}");

    @Inject
    Environments environments;

    @Inject
    TokenAuthorizer authorizer;

    @Inject
    PipelineClient pipeline;

    @Inject
    IngestConfig config;

    @Inject
    ContextChanges contextChanges;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String envKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String auth, CreateSegmentBody body) throws InterruptedException {
        String environmentId = authorized(projectKey, envKey, auth);
        validate(body);
        SegmentId id = new SegmentId(environmentId, body.key());
        SegmentDefinition existing = pipeline.segment(id).orElse(null);
        if (existing != null && !existing.getDeleted()) {
            throw new ApiException(409, "conflict", "segment " + body.key() + " already exists");
        }
        String kind = body.unboundedContextKind() == null ? "user" : body.unboundedContextKind();
        SegmentDefinition created = pipeline.createSegment(id,
                new CreateSegment(body.name() == null ? body.key() : body.name(), kind, body.generation()),
                config.confirmTimeout()).orElseThrow(() -> new ApiException(503, "pipeline_unavailable",
                        "the segment was submitted but not confirmed within " + config.confirmTimeout()));
        return Response.status(201).entity(view(created)).build();
    }

    @GET
    @Path("/{segmentKey}")
    public SegmentView get(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String envKey,
            @PathParam("segmentKey") String segmentKey, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        String environmentId = authorized(projectKey, envKey, auth);
        return view(liveSegment(new SegmentId(environmentId, segmentKey)));
    }

    @DELETE
    @Path("/{segmentKey}")
    public Response delete(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String envKey,
            @PathParam("segmentKey") String segmentKey, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth)
            throws InterruptedException {
        SegmentId id = new SegmentId(authorized(projectKey, envKey, auth), segmentKey);
        liveSegment(id);
        pipeline.publisher().sendAndWait(CommandPublisher.command(id, null, new DeleteSegment()));
        pipeline.awaitSegment(id, SegmentDefinition::getDeleted, config.confirmTimeout());
        return Response.noContent().build();
    }

    @POST
    @Path("/{segmentKey}/contexts")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response contexts(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String envKey,
            @PathParam("segmentKey") String segmentKey, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @HeaderParam("Idempotency-Key") String idempotencyKey, ContextsBody body) {
        SegmentId id = new SegmentId(authorized(projectKey, envKey, auth), segmentKey);
        liveSegment(id);
        contextChanges.publish(id, body, idempotencyKey);
        return Response.noContent().build();
    }

    /** Resolves the environment and checks the token; returns the environment id. */
    String authorized(String projectKey, String envKey, String auth) {
        var env = environments.byKeys(projectKey, envKey).orElse(null);
        if (env == null) {
            authorizer.authorize(auth, "*unknown*");
            throw new ApiException(404, "not_found", "unknown project/environment " + projectKey + "/" + envKey);
        }
        authorizer.authorize(auth, env.getKey());
        return env.getValue().id();
    }

    SegmentDefinition liveSegment(SegmentId id) {
        SegmentDefinition d = pipeline.segment(id).orElse(null);
        if (d == null || d.getDeleted()) {
            throw new ApiException(404, "not_found", "segment " + id.segmentKey() + " does not exist");
        }
        return d;
    }

    private static void validate(CreateSegmentBody body) {
        if (body == null) {
            throw new ApiException(400, "invalid_request", "a JSON body is required");
        }
        if (body.key() == null || !SEGMENT_KEY.matcher(body.key()).matches()) {
            throw new ApiException(400, "invalid_request",
                    "/key must be 1-256 characters of letters, digits, '.', '_' or '-'");
        }
        if (!Boolean.TRUE.equals(body.unbounded())) {
            throw new ApiException(400, "invalid_request", "/unbounded must be true: only big segments are served");
        }
        if (body.generation() != null && body.generation() < 1) {
            throw new ApiException(400, "invalid_request", "/generation must be at least 1");
        }
    }

    private static SegmentView view(SegmentDefinition d) {
        return new SegmentView(d.getSegmentKey(), d.getName(), true, d.getContextKind(), d.getGeneration(),
                d.getDeleted());
    }
}
