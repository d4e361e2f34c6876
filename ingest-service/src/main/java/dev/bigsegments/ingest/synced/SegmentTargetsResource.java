package dev.bigsegments.ingest.synced;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.auth.Environments;
import dev.bigsegments.ingest.auth.TokenAuthorizer;
import dev.bigsegments.ingest.errors.Forbidden;
import dev.bigsegments.ingest.errors.IngestException;
import dev.bigsegments.ingest.errors.InvalidRequest;
import dev.bigsegments.ingest.errors.NotFound;
import dev.bigsegments.ingest.errors.RateLimited;
import dev.bigsegments.ingest.errors.Unauthorized;
import dev.bigsegments.ingest.http.BodyLimits;
import dev.bigsegments.ingest.http.ErrorAnswers;
import dev.bigsegments.ingest.publish.PipelineClient;
import dev.bigsegments.ingest.rest.ApiDocs;
import dev.bigsegments.ingest.synced.CohortSegments.Target;
import dev.bigsegments.ingest.synced.SyncedResponses.Subject;
import dev.bigsegments.support.PipelineConfig.EnvironmentConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v2/segment-targets/{integrationKey}}: cohort membership from external tools, parsed
 * by the integration's descriptor, checked completely, then published per cohort in request order.
 * The request guard has refused a bad token and a declared length past the limit before the body is read.
 */
@Path("/api/v2/segment-targets/{integrationKey}")
public class SegmentTargetsResource {
    private static final Logger LOG = Logger.getLogger(SegmentTargetsResource.class);

    @Inject
    Integrations integrations;

    @Inject
    Environments environments;

    @Inject
    TokenAuthorizer authorizer;

    @Inject
    PipelineClient pipeline;

    @Inject
    CohortSegments cohortSegments;

    @Inject
    IngestConfig ingest;

    @Inject
    BodyLimits limits;

    @Inject
    ObjectMapper json;

    private final TokenRateLimiter rateLimiter = new TokenRateLimiter(System::nanoTime);

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Tag(name = "Synced segments", description = "Cohort tools' LaunchDarkly synced-segment webhooks")
    @Operation(summary = "A cohort tool's synced-segment request",
            description = "The body is the tool's own (README, Synced segments); applying it twice changes nothing."
                    + " Heap (heap-inbound) gets its own JSON answers.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT, description = "The tool's payload")))
    @APIResponse(responseCode = "204", description = "Applied")
    @APIResponse(responseCode = "200", description = "Applied (Heap's success body)")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response post(@Parameter(
            description = "The tool: amplitude, segment-audiences, census-synced-segments, rudderstack, heap-inbound,"
                    + " fulcrum, sumatra-synced-segments, hightouch, tealium-synced-segments, zeotap")
            @PathParam("integrationKey") String integrationKey,
            @Parameter(description = ApiDocs.AUTH)
            @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @Parameter(hidden = true) InputStream body)
            throws InterruptedException {
        IntegrationDescriptor descriptor = integrations.get(integrationKey).orElse(null);
        if (descriptor == null) {
            return SyncedResponses.error(null, Subject.UNKNOWN,
                    ErrorAnswers.of(new NotFound("unknown integration " + integrationKey)));
        }
        Subject subject = Subject.UNKNOWN;
        try {
            SyncedRequestParser.Read read = SyncedRequestParser.read(descriptor, json, body, limits.synced());
            var environment = authorize(read, auth);
            EnvironmentConfig env = environment.getValue();
            subject = new Subject(env.projectKey(), env.environmentKey(), "");
            SyncedRequest request = read.request();
            List<Target> targets = cohortSegments.resolve(integrationKey, env.id(), request);
            subject = new Subject(env.projectKey(), env.environmentKey(), targets.get(0).segment().segmentKey());
            cohortSegments.createMissing(targets, request.contextKind());
            pipeline.publisher().sendAllAndWait(SyncedChanges.commands(integrationKey, env.id(), read.sha256(),
                    targets, ingest.synced().membersPerCommand()));
            LOG.debugf("%s: %d cohort(s), %d member change(s) published for environment %s", integrationKey,
                    targets.size(), request.memberCount(), env.id());
            return SyncedResponses.success(descriptor, subject);
        } catch (IngestException e) {
            return SyncedResponses.error(descriptor, subject, ErrorAnswers.of(e));
        }
    }

    /** The environment named in the body, after the token is checked for it and for its rate. */
    private Map.Entry<String, EnvironmentConfig> authorize(SyncedRequestParser.Read read, String auth) {
        String environmentId;
        try {
            environmentId = read.environmentId();
        } catch (InvalidRequest e) {
            authenticate(auth, TokenAuthorizer.UNKNOWN_ENVIRONMENT);
            throw e;
        }
        var environment = environments.byId(environmentId).orElse(null);
        String tokenName = authenticate(auth,
                environment == null ? TokenAuthorizer.UNKNOWN_ENVIRONMENT : environment.getKey());
        if (environment == null) {
            throw new Forbidden("this token is not allowed environment " + environmentId);
        }
        long wait = rateLimiter.acquire(tokenName,
                ingest.synced().tokenRates().getOrDefault(tokenName, ingest.synced().requestsPerSecond()));
        if (wait > 0) {
            throw new RateLimited("too many requests for this token", wait);
        }
        return environment;
    }

    /** The token's name; tools expect 403 for a bad token as for a forbidden environment. */
    private String authenticate(String auth, String environmentName) {
        try {
            return authorizer.authorize(auth, environmentName);
        } catch (Forbidden e) {
            if (TokenAuthorizer.UNKNOWN_ENVIRONMENT.equals(environmentName)) {
                return null;
            }
            throw e;
        } catch (Unauthorized e) {
            throw new Forbidden(e.getMessage());
        }
    }
}
