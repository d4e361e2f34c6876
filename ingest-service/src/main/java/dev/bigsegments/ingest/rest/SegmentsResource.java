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
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import dev.bigsegments.ingest.rest.SegmentViews.ContextMembership;
import dev.bigsegments.ingest.rest.SegmentViews.LookupAnswer;
import dev.bigsegments.ingest.rest.SegmentViews.LookupBody;
import dev.bigsegments.ingest.rest.SegmentViews.SegmentPage;
import dev.bigsegments.ingest.rest.SegmentViews.SegmentStatus;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import java.util.regex.Pattern;

/**
 * Big segments: list, create, read, change contexts, look memberships up, status, delete. LaunchDarkly-compatible
 * paths and bodies. Bodies are read as streams within their limit ({@link JsonBodies}), so a body past it is
 * refused as it arrives.
 */
@Path("/api/v2/segments/{projectKey}/{environmentKey}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Segments", description = "Big segments and their memberships")
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

    @Inject
    SegmentReads reads;

    @GET
    @Operation(summary = "List the environment's big segments",
            description = "Live segments by key, with their generation, context kind, members per list (from the"
                    + " stream processor's state) and last change. Paginated: pass the answer's next as after.")
    @APIResponse(responseCode = "200", description = "A page of segments",
            content = @Content(schema = @Schema(implementation = SegmentPage.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public SegmentPage list(@Parameter(description = ApiDocs.PROJECT) @PathParam("projectKey") String projectKey,
            @Parameter(description = ApiDocs.ENVIRONMENT) @PathParam("environmentKey") String envKey,
            @Parameter(description = ApiDocs.LIMIT) @QueryParam("limit") Integer limit,
            @Parameter(description = "Start after this segment key (the previous page's next)") @QueryParam("after")
            String after,
            @Parameter(description = "Only segments whose key starts with this") @QueryParam("prefix") String prefix,
            @Parameter(description = ApiDocs.AUTH) @HeaderParam(HttpHeaders.AUTHORIZATION) String auth)
            throws InterruptedException {
        return reads.list(access.environmentId(projectKey, envKey, auth), limit, after, prefix);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a big segment",
            description = "Creates the segment (generation 1), or the next generation of a deleted one.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CreateSegmentBody.class)))
    @APIResponse(responseCode = "201", description = "The segment as created",
            content = @Content(schema = @Schema(implementation = SegmentView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response create(@Parameter(description = ApiDocs.PROJECT) @PathParam("projectKey") String projectKey,
            @Parameter(description = ApiDocs.ENVIRONMENT) @PathParam("environmentKey") String envKey,
            @Parameter(description = ApiDocs.AUTH) @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @Parameter(hidden = true) InputStream stream) throws InterruptedException {
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
    @Operation(summary = "Read a big segment")
    @APIResponse(responseCode = "200", description = "The segment",
            content = @Content(schema = @Schema(implementation = SegmentView.class)))
    public SegmentView get(@BeanParam SegmentPath path) {
        return view(access.liveSegment(access.segment(path)));
    }

    @GET
    @Path("/{segmentKey}/status")
    @Operation(summary = "A segment's status",
            description = "Members per list and the last applied change (from the stream processor's state), pending"
                    + " work (the running import, generations being removed), and for each store whether it holds"
                    + " the last change yet (its synchronizedOn is at or after it).")
    @APIResponse(responseCode = "200", description = "The segment's status",
            content = @Content(schema = @Schema(implementation = SegmentStatus.class)))
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public SegmentStatus status(@BeanParam SegmentPath path) throws InterruptedException {
        return reads.status(access.liveSegment(access.segment(path)));
    }

    @GET
    @Path("/{segmentKey}/contexts/{contextKey}")
    @Operation(summary = "Whether a context is in the segment",
            description = "Answered from the stream processor's state for the current generation. The key is hashed"
                    + " at once and never logged or stored; POST .../contexts/lookup keeps keys out of URLs.")
    @APIResponse(responseCode = "200", description = "The context's membership",
            content = @Content(schema = @Schema(implementation = ContextMembership.class)))
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public ContextMembership membership(@BeanParam SegmentPath path,
            @Parameter(description = "The context key") @PathParam("contextKey") String contextKey) {
        return reads.lookup(access.liveSegment(access.segment(path)), java.util.List.of(contextKey)).get(0);
    }

    @POST
    @Path("/{segmentKey}/contexts/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Whether each of many contexts is in the segment",
            description = "As the GET form, for up to bigsegments.ingest.lookup.max-keys (1000) keys, in order.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LookupBody.class)))
    @APIResponse(responseCode = "200", description = "One answer per key, in the order given",
            content = @Content(schema = @Schema(implementation = LookupAnswer.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public LookupAnswer lookup(@BeanParam SegmentPath path, @Parameter(hidden = true) InputStream stream) {
        SegmentDefinition segment = access.liveSegment(access.segment(path));
        LookupBody body = JsonBodies.readValue(json, stream, limits.json(), LookupBody.class);
        if (body == null) {
            throw new InvalidRequest("a JSON body is required");
        }
        return new LookupAnswer(reads.lookup(segment, body.keys()));
    }

    @DELETE
    @Path("/{segmentKey}")
    @Operation(summary = "Delete a big segment",
            description = "Its generation's memberships are removed from the stores; creating it again starts the"
                    + " next generation.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response delete(@BeanParam SegmentPath path) throws InterruptedException {
        SegmentId id = access.segment(path);
        access.liveSegment(id);
        pipeline.publisher().sendAndWait(CommandPublisher.command(id, null, new DeleteSegment()));
        pipeline.awaitSegment(id, SegmentDefinition::getDeleted, config.confirmTimeout());
        return Response.noContent().build();
    }

    @POST
    @Path("/{segmentKey}/contexts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add or remove contexts",
            description = "Removes, then adds, in each list; a key added to both lists is a 400. A body larger than"
                    + " one Kafka record is published as several commands, in order.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ContextsBody.class)))
    @APIResponse(responseCode = "204", description = "Published")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response contexts(@BeanParam SegmentPath path,
            @Parameter(description = ApiDocs.IDEMPOTENCY) @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Parameter(hidden = true) InputStream stream) {
        SegmentId id = access.segment(path);
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
