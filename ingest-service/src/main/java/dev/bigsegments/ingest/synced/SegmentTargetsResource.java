package dev.bigsegments.ingest.synced;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.auth.Environments;
import dev.bigsegments.ingest.auth.TokenAuthorizer;
import dev.bigsegments.ingest.publish.PipelineClient;
import dev.bigsegments.ingest.rest.ApiException;
import dev.bigsegments.ingest.synced.CohortSegments.Target;
import dev.bigsegments.ingest.synced.SyncedResponses.Subject;
import dev.bigsegments.schemas.avro.SegmentCommand;
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
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v2/segment-targets/{integrationKey}}: cohort membership from external tools, parsed
 * by the integration's descriptor, checked completely, then published per cohort in request order.
 */
@Path("/api/v2/segment-targets/{integrationKey}")
public class SegmentTargetsResource {
    private static final Logger LOG = Logger.getLogger(SegmentTargetsResource.class);
    private static final String UNKNOWN_ENVIRONMENT = "*unknown*";

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

    private final TokenRateLimiter rateLimiter = new TokenRateLimiter(System::nanoTime);

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response post(@PathParam("integrationKey") String integrationKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body)
            throws InterruptedException {
        IntegrationDescriptor descriptor = integrations.get(integrationKey).orElse(null);
        if (descriptor == null) {
            return SyncedResponses.error(null, Subject.UNKNOWN,
                    new ApiException(404, "not_found", "unknown integration " + integrationKey));
        }
        Subject subject = Subject.UNKNOWN;
        try {
            SyncedRequestParser.Read read = read(descriptor, body, contentLength);
            var environment = authorize(read, auth);
            EnvironmentConfig env = environment.getValue();
            subject = new Subject(env.projectKey(), env.environmentKey(), "");
            SyncedRequest request = read.request();
            List<Target> targets = cohortSegments.resolve(integrationKey, env.id(), request);
            subject = new Subject(env.projectKey(), env.environmentKey(), targets.get(0).segment().segmentKey());
            cohortSegments.createMissing(targets, request.contextKind());
            publish(SyncedChanges.commands(integrationKey, env.id(), read.sha256(), targets,
                    ingest.synced().membersPerCommand()));
            LOG.debugf("%s: %d cohort(s), %d member change(s) published for environment %s", integrationKey,
                    targets.size(), request.memberCount(), env.id());
            return SyncedResponses.success(descriptor, subject);
        } catch (InvalidPayloadException e) {
            return SyncedResponses.error(descriptor, subject, new ApiException(400, "invalid_request", e.getMessage()));
        } catch (ApiException e) {
            return SyncedResponses.error(descriptor, subject, e);
        }
    }

    /** The environment named in the body, after the token is checked for it and for its rate. */
    private Map.Entry<String, EnvironmentConfig> authorize(SyncedRequestParser.Read read, String auth) {
        String environmentId;
        try {
            environmentId = read.environmentId();
        } catch (InvalidPayloadException e) {
            authenticate(auth, UNKNOWN_ENVIRONMENT);
            throw e;
        }
        var environment = environments.byId(environmentId).orElse(null);
        String tokenName = authenticate(auth, environment == null ? UNKNOWN_ENVIRONMENT : environment.getKey());
        if (environment == null) {
            throw new ApiException(403, "forbidden", "this token is not allowed environment " + environmentId);
        }
        long wait = rateLimiter.acquire(tokenName,
                ingest.synced().tokenRates().getOrDefault(tokenName, ingest.synced().requestsPerSecond()));
        if (wait > 0) {
            throw new RateLimitedException(wait);
        }
        return environment;
    }

    /** The token's name; tools expect 403 for a bad token as for a forbidden environment. */
    private String authenticate(String auth, String environmentName) {
        try {
            return authorizer.authorize(auth, environmentName);
        } catch (ApiException e) {
            if (e.status() == 403 && UNKNOWN_ENVIRONMENT.equals(environmentName)) {
                return null;
            }
            throw e.status() == 401 ? new ApiException(403, "forbidden", e.getMessage()) : e;
        }
    }

    /** The body, streamed through the integration's parser; 413 past the limit, 400 when it is not JSON. */
    private SyncedRequestParser.Read read(IntegrationDescriptor descriptor, InputStream body, String contentLength) {
        long limit = ingest.synced().maxBodyBytes();
        if (contentLength != null && contentLength.matches("\\d{1,18}") && Long.parseLong(contentLength) > limit) {
            throw new ApiException(413, "payload_too_large", "the body exceeds the limit of " + limit + " bytes");
        }
        try {
            return SyncedRequestParser.read(descriptor, body, limit);
        } catch (PayloadStream.TooLarge e) {
            throw new ApiException(413, "payload_too_large", e.getMessage());
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "invalid_request", "the body is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new ApiException(400, "invalid_request", "the body could not be read");
        }
    }

    /** Sends every command, then waits for all: one producer and one key per segment keep their order. */
    private void publish(List<SegmentCommand> commands) throws InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            for (SegmentCommand command : commands) {
                sent.add(pipeline.publisher().send(command));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (ExecutionException | RuntimeException e) {
            throw new ApiException(503, "pipeline_unavailable", "the changes could not be published; retry");
        }
    }
}
