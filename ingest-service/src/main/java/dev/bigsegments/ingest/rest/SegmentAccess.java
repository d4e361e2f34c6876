package dev.bigsegments.ingest.rest;

import dev.bigsegments.ingest.auth.Environments;
import dev.bigsegments.ingest.auth.TokenAuthorizer;
import dev.bigsegments.ingest.errors.NotFound;
import dev.bigsegments.ingest.publish.PipelineClient;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** What every segment request does first: resolve the environment of the path, check the token for it, find the segment. */
@ApplicationScoped
public class SegmentAccess {

    @Inject
    Environments environments;

    @Inject
    TokenAuthorizer authorizer;

    @Inject
    PipelineClient pipeline;

    /** Resolves the environment and checks the token for it; returns the environment id. */
    public String environmentId(String projectKey, String environmentKey, String authorization) {
        var env = environments.byKeys(projectKey, environmentKey).orElse(null);
        if (env == null) {
            // A token limited to some environments is refused here as for any environment it may not use,
            // so it learns nothing about which environments exist.
            authorizer.authorize(authorization, TokenAuthorizer.UNKNOWN_ENVIRONMENT);
            throw new NotFound("unknown project/environment " + projectKey + "/" + environmentKey);
        }
        authorizer.authorize(authorization, env.getKey());
        return env.getValue().id();
    }

    /** The segment a request names, once its environment is resolved and the token checked for it. */
    public SegmentId segment(SegmentPath path) {
        return new SegmentId(environmentId(path.projectKey, path.environmentKey, path.authorization), path.segmentKey);
    }

    /** The segment, when it exists and is not deleted. */
    public SegmentDefinition liveSegment(SegmentId id) {
        SegmentDefinition d = pipeline.segment(id).orElse(null);
        if (d == null || d.getDeleted()) {
            throw new NotFound("segment " + id.segmentKey() + " does not exist");
        }
        return d;
    }
}
