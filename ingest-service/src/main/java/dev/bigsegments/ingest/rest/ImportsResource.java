package dev.bigsegments.ingest.rest;

import dev.bigsegments.ingest.errors.InvalidRequest;
import dev.bigsegments.ingest.errors.NotFound;
import dev.bigsegments.ingest.imports.ImportService;
import dev.bigsegments.ingest.imports.ImportView;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ImportMode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.core.Context;
import java.util.Locale;
import dev.bigsegments.ingest.rest.SegmentViews.ImportPage;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** CSV list imports into a big segment, and their status. */
@Path("/api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/imports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Imports", description = "CSV list imports into a big segment")
public class ImportsResource {
    @Inject
    SegmentAccess access;

    @Inject
    ImportService imports;

    @Inject
    SegmentReads reads;

    @GET
    @Operation(summary = "List the segment's imports", description = "Newest first, with their status and counts."
            + " Paginated: pass the answer's next as after.")
    @APIResponse(responseCode = "200", description = "A page of imports",
            content = @Content(schema = @Schema(implementation = ImportPage.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public ImportPage list(@BeanParam SegmentPath path,
            @Parameter(description = ApiDocs.LIMIT) @QueryParam("limit") Integer limit,
            @Parameter(description = "Start after this import id (the previous page's next)") @QueryParam("after")
            String after) throws InterruptedException {
        SegmentId id = access.segment(path);
        access.liveSegment(id);
        return reads.imports(id, limit, after);
    }

    /**
     * Non-blocking, so that the multipart body is parsed as it arrives and an upload past the limit is
     * answered at once (a blocking parse would first read the rest of the body); the work runs on a worker.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Import a CSV list",
            description = "Keys in the first column, no header; merge adds them, replace makes the included list"
                    + " exactly them. The import runs after the answer: follow Location for its progress.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(type = SchemaType.OBJECT, requiredProperties = {"file", "mode"}, properties = {
                    @SchemaProperty(name = "file", type = SchemaType.STRING, format = "binary",
                            description = "The CSV file"),
                    @SchemaProperty(name = "mode", type = SchemaType.STRING, enumeration = {"merge", "replace"},
                            description = "merge or replace")})))
    @APIResponse(responseCode = "204", description = "Started; the import is at the Location header")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<Response> start(@Parameter(description = ApiDocs.PROJECT) @PathParam("projectKey") String projectKey,
            @Parameter(description = ApiDocs.ENVIRONMENT) @PathParam("environmentKey") String envKey,
            @Parameter(description = ApiDocs.SEGMENT) @PathParam("segmentKey") String segmentKey,
            @Parameter(description = ApiDocs.AUTH) @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @Parameter(description = ApiDocs.IDEMPOTENCY) @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Parameter(hidden = true) @RestForm("file") FileUpload file,
            @Parameter(hidden = true) @RestForm("mode") String mode, @Context UriInfo uri) {
        UriBuilder location = uri.getAbsolutePathBuilder();
        return Uni.createFrom().item(() -> start(projectKey, envKey, segmentKey, auth, idempotencyKey, file, mode,
                location)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Response start(String projectKey, String envKey, String segmentKey, String auth, String idempotencyKey,
            FileUpload file, String mode, UriBuilder location) {
        SegmentId id = new SegmentId(access.environmentId(projectKey, envKey, auth), segmentKey);
        access.liveSegment(id);
        if (file == null) {
            throw new InvalidRequest("multipart field 'file' is required");
        }
        String importId = imports.start(id, parseMode(mode), file.uploadedFile(), file.fileName(), idempotencyKey);
        return Response.noContent().location(location.path(importId).build()).build();
    }

    @GET
    @Path("/{importId}")
    @Operation(summary = "An import's status",
            description = "preparing, in_progress, then complete or stopped; with counts, rejections and progress.")
    @APIResponse(responseCode = "200", description = "The import",
            content = @Content(schema = @Schema(implementation = ImportView.class)))
    public ImportView status(@BeanParam SegmentPath path,
            @Parameter(description = "The import's id") @PathParam("importId") String importId)
            throws InterruptedException {
        SegmentId id = access.segment(path);
        return imports.status(id, importId).orElseThrow(
                () -> new NotFound("no import " + importId + " for segment " + id.segmentKey()));
    }

    private static ImportMode parseMode(String mode) {
        if (mode == null) {
            throw new InvalidRequest("multipart field 'mode' is required: merge or replace");
        }
        return switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "merge" -> ImportMode.MERGE;
            case "replace" -> ImportMode.REPLACE;
            default -> throw new InvalidRequest(
                    "mode must be merge or replace, not '" + mode + "'");
        };
    }
}
