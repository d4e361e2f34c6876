package dev.bigsegments.ingest.synced;

import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.publish.PipelineClient;
import dev.bigsegments.ingest.errors.Conflict;
import dev.bigsegments.ingest.errors.Unavailable;
import dev.bigsegments.ingest.synced.SyncedRequest.CohortChanges;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which segment a cohort updates: the operator's mapping ({@code bigsegments.ingest.synced.mappings}),
 * else {@code <integrationKey>-<cohortId>}, created at first sight with the payload's context kind.
 */
@ApplicationScoped
public class CohortSegments {
    private static final String KEY_SEPARATOR = "-";
    private static final String MAPPING_SEPARATOR = "/";

    @Inject
    IngestConfig ingest;

    @Inject
    PipelineClient pipeline;

    /** A cohort's segment; {@code create} when it does not exist yet. */
    public record Target(CohortChanges cohort, SegmentId segment, boolean create) {
    }

    /** Resolves every cohort and checks every conflict before anything is published. */
    public List<Target> resolve(String integrationKey, String environmentId, SyncedRequest request) {
        Map<String, Target> targets = new LinkedHashMap<>();
        for (CohortChanges cohort : request.cohorts()) {
            String mapped = ingest.synced().mappings().get(integrationKey + MAPPING_SEPARATOR + cohort.cohortId());
            SegmentId id = new SegmentId(environmentId,
                    mapped != null ? mapped : integrationKey + KEY_SEPARATOR + cohort.cohortId());
            SegmentDefinition existing = pipeline.segment(id).filter(d -> !d.getDeleted()).orElse(null);
            if (existing == null && mapped != null) {
                throw new Conflict("cohort " + cohort.cohortId() + " is mapped to segment "
                        + mapped + ", which does not exist");
            }
            if (existing != null) {
                checkKind(cohort, existing, request.contextKind());
            }
            targets.put(cohort.cohortId(), new Target(cohort, id, existing == null));
        }
        return new ArrayList<>(targets.values());
    }

    /** Creates the segments first seen in this request (generation 1 unless a deleted one is re-created). */
    public void createMissing(List<Target> targets, String contextKind) throws InterruptedException {
        for (Target target : targets) {
            if (!target.create()) {
                continue;
            }
            SegmentDefinition created = pipeline.createSegment(target.segment(),
                    new CreateSegment(target.cohort().cohortName(), contextKind, null), ingest.confirmTimeout())
                    .orElseThrow(() -> new Unavailable("segment "
                            + target.segment().segmentKey() + " was submitted but not confirmed within "
                            + ingest.confirmTimeout()));
            checkKind(target.cohort(), created, contextKind);
        }
    }

    private static void checkKind(CohortChanges cohort, SegmentDefinition segment, String kind) {
        if (!segment.getContextKind().equals(kind)) {
            throw new Conflict("cohort " + cohort.cohortId() + " has context kind " + kind
                    + " but segment " + segment.getSegmentKey() + " holds " + segment.getContextKind() + " contexts");
        }
    }
}
