package dev.bigsegments.ingest.rest;

import dev.bigsegments.ingest.imports.ImportView;
import java.util.List;

/** The bodies of the read endpoints: segment lists, membership lookups, segment status and import lists. */
public final class SegmentViews {
    private SegmentViews() {
    }

    /**
     * A segment in a list.
     *
     * @param included members of the included list; null when the stream processor could not be asked
     * @param lastChangeAt when its membership last changed (Unix ms), null before the first change
     * @param updatedAt when its definition last changed (created, an import began or ended)
     */
    public record SegmentSummary(String key, String name, int generation, String contextKind, Long included,
            Long excluded, Long lastChangeAt, long updatedAt, String activeImportId, List<Integer> pendingCleanups) {
    }

    /**
     * @param next the {@code after} of the next page; null on the last one
     * @param countsUnavailable why the counts are missing, when the stream processor could not be asked
     */
    public record SegmentPage(List<SegmentSummary> items, String next, String countsUnavailable) {
    }

    /** @param next the {@code after} of the next page (an import id); null on the last one */
    public record ImportPage(List<ImportView> items, String next) {
    }

    /** A context's membership, in LaunchDarkly's names. */
    public record ContextMembership(String userKey, boolean included, boolean excluded) {
    }

    public record LookupBody(List<String> keys) {
    }

    public record LookupAnswer(List<ContextMembership> items) {
    }

    /**
     * A segment, what is pending for it, and whether each store holds its last change.
     *
     * @param activeImport the import being staged or applied, if any
     * @param pendingCleanups earlier generations still being removed from the stores
     */
    public record SegmentStatus(String key, String name, int generation, String contextKind, long included,
            long excluded, Long lastChangeAt, long updatedAt, ImportView activeImport, List<Integer> pendingCleanups,
            List<StoreState> stores) {
    }

    /**
     * @param synchronizedOn the store's last stamp for the environment (Unix ms), null before the first
     * @param holdsLastChange the stamp is at or after the segment's last change: every change up to it is in the
     *     store (a stamp vouches for every command the processor took before it)
     */
    public record StoreState(String store, String groupId, Long synchronizedOn, Double ageSeconds,
            boolean holdsLastChange) {
    }
}
