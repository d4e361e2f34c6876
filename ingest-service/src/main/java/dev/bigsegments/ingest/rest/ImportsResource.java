package dev.bigsegments.ingest.rest;

import dev.bigsegments.ingest.errors.InvalidRequest;
import dev.bigsegments.ingest.errors.NotFound;
import dev.bigsegments.ingest.imports.ImportService;
import dev.bigsegments.ingest.imports.ImportView;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ImportMode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** CSV list imports into a big segment, and their status. */
@Path("/api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportsResource {
    @Inject
    SegmentAccess access;

    @Inject
    ImportService imports;

    /**
     * Non-blocking, so that the multipart body is parsed as it arrives and an upload past the limit is
     * answered at once (a blocking parse would first read the rest of the body); the work runs on a worker.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<Response> start(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String envKey,
            @PathParam("segmentKey") String segmentKey, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @HeaderParam("Idempotency-Key") String idempotencyKey, @RestForm("file") FileUpload file,
            @RestForm("mode") String mode, @Context UriInfo uri) {
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
    public ImportView status(@PathParam("projectKey") String projectKey, @PathParam("environmentKey") String envKey,
            @PathParam("segmentKey") String segmentKey, @PathParam("importId") String importId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String auth) throws InterruptedException {
        SegmentId id = new SegmentId(access.environmentId(projectKey, envKey, auth), segmentKey);
        return imports.status(id, importId).orElseThrow(
                () -> new NotFound("no import " + importId + " for segment " + segmentKey));
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
