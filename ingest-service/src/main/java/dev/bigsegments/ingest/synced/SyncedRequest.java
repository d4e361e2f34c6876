package dev.bigsegments.ingest.synced;

import java.util.List;

/**
 * A parsed tool request: the environment's client-side id, the context kind, and per cohort (in order
 * of first appearance) its members' changes in request order, keys already hashed.
 */
public record SyncedRequest(String environmentId, String contextKind, List<CohortChanges> cohorts) {

    public record CohortChanges(String cohortId, String cohortName, String cohortUrl, List<MemberUpdate> members) {
    }

    /** One member: the SHA-256 digest of its key, and whether it joins (true) or leaves the cohort. */
    public record MemberUpdate(byte[] digest, boolean add) {
    }

    public int memberCount() {
        return cohorts.stream().mapToInt(c -> c.members().size()).sum();
    }
}
