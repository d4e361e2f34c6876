package dev.bigsegments.ingest.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.body.JsonBodies;
import dev.bigsegments.ingest.errors.Conflict;
import dev.bigsegments.ingest.errors.InvalidRequest;
import dev.bigsegments.ingest.errors.Unavailable;
import dev.bigsegments.ingest.http.BodyLimits;
import dev.bigsegments.ingest.publish.CommandPublisher;
import dev.bigsegments.ingest.publish.PipelineClient;
import dev.bigsegments.ingest.rest.SegmentRequests.ContextsBody;
import dev.bigsegments.ingest.rest.SegmentRequests.CreateSegmentBody;
import dev.bigsegments.ingest.rest.SegmentRequests.SegmentView;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.DeleteSegment;
import dev.bigsegments.schemas.avro.SegmentDefinition;
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
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Big segments: create, change contexts, delete. LaunchDarkly-compatible paths and bodies. Bodies are
 * read as streams within their limit ({@link JsonBodies}), so a body past it is refused as it arrives.
 */
@Path("/api/v2/segments/{projectKey}/{environmentKey}")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentsResource {
    private static final Pattern SEGMENT_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,255}");

    @Inject
    SegmentAccess access;

    @Inject
    PipelineClient pipeline;

    @Inject
    IngestConfig config;

    @Inject
    ContextChanges contextChanges;

    @Inject
    BodyLimits limits;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String envKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String auth, InputStream stream) throws InterruptedException {
        String environmentId = access.environmentId(projectKey, envKey, auth);
        CreateSegmentBody body = JsonBodies.readValue(json, stream, limits.json(), CreateSegmentBody.class);
        validate(body);
        SegmentId id = new SegmentId(environmentId, body.key());
        SegmentDefinition existing = pipeline.segment(id).orElse(null);
        if (existing != null && !existing.getDeleted()) {
            throw new Conflict("segment " + body.key() + " already exists");
        }
        String kind = body.unboundedContextKind() == null ? "user" : body.unboundedContextKind();
        SegmentDefinition created = pipeline.createSegment(id,
                new CreateSegment(body.name() == null ? body.key() : body.name(), kind, body.generation()),
                config.confirmTimeout()).orElseThrow(() -> new Unavailable(
                        "the segment was submitted but not confirmed within " + config.confirmTimeout()));
        return Response.status(201).entity(view(created)).build();
    }

    @GET
    @Path("/{segmentKey}")
    public SegmentView get(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String envKey,
            @PathParam("segmentKey") String segmentKey, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        String environmentId = access.environmentId(projectKey, envKey, auth);
        return view(access.liveSegment(new SegmentId(environmentId, segmentKey)));
    }

    @DELETE
    @Path("/{segmentKey}")
    public Response delete(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String envKey,
            @PathParam("segmentKey") String segmentKey, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth)
            throws InterruptedException {
        SegmentId id = new SegmentId(access.environmentId(projectKey, envKey, auth), segmentKey);
        access.liveSegment(id);
        pipeline.publisher().sendAndWait(CommandPublisher.command(id, null, new DeleteSegment()));
        pipeline.awaitSegment(id, SegmentDefinition::getDeleted, config.confirmTimeout());
        return Response.noContent().build();
    }

    @POST
    @Path("/{segmentKey}/contexts")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response contexts(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String envKey,
            @PathParam("segmentKey") String segmentKey, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @HeaderParam("Idempotency-Key") String idempotencyKey, InputStream stream) {
        SegmentId id = new SegmentId(access.environmentId(projectKey, envKey, auth), segmentKey);
        access.liveSegment(id);
        ContextsBody body = JsonBodies.readValue(json, stream, limits.json(), ContextsBody.class);
        contextChanges.publish(id, body, idempotencyKey);
        return Response.noContent().build();
    }

    private static void validate(CreateSegmentBody body) {
        if (body == null) {
            throw new InvalidRequest("a JSON body is required");
        }
        if (body.key() == null || !SEGMENT_KEY.matcher(body.key()).matches()) {
            throw new InvalidRequest("/key must be 1-256 characters of letters, digits, '.', '_' or '-'");
        }
        if (!Boolean.TRUE.equals(body.unbounded())) {
            throw new InvalidRequest("/unbounded must be true: only big segments are served");
        }
        if (body.generation() != null && body.generation() < 1) {
            throw new InvalidRequest("/generation must be at least 1");
        }
    }

    private static SegmentView view(SegmentDefinition d) {
        return new SegmentView(d.getSegmentKey(), d.getName(), true, d.getContextKind(), d.getGeneration(),
                d.getDeleted());
    }
}
