package dev.bigsegments.ingest.rest;

import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.errors.InvalidRequest;
import dev.bigsegments.ingest.errors.Unavailable;
import dev.bigsegments.ingest.imports.ImportService;
import dev.bigsegments.ingest.imports.ImportView;
import dev.bigsegments.ingest.publish.PipelineClient;
import dev.bigsegments.ingest.rest.SegmentViews.ContextMembership;
import dev.bigsegments.ingest.rest.SegmentViews.ImportPage;
import dev.bigsegments.ingest.rest.SegmentViews.SegmentPage;
import dev.bigsegments.ingest.rest.SegmentViews.SegmentStatus;
import dev.bigsegments.ingest.rest.SegmentViews.SegmentSummary;
import dev.bigsegments.ingest.rest.SegmentViews.StoreState;
import dev.bigsegments.ingest.status.StatusMonitor;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.query.PipelineQueries;
import dev.bigsegments.schemas.query.PipelineQueries.Membership;
import dev.bigsegments.schemas.query.PipelineQueries.QueryUnavailable;
import dev.bigsegments.schemas.query.PipelineQueries.SegmentAt;
import dev.bigsegments.schemas.query.PipelineQueries.SegmentCounts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * What the read endpoints answer: segment lists with their counts, memberships, a segment's status and its
 * imports. Definitions and imports come from the views of their topics; counts and memberships from the stream
 * processor's state ({@link PipelineQueries}); store freshness from the writers' reports ({@link StatusMonitor}).
 * Context keys are hashed here, first thing, and only their hashes go further.
 */
@ApplicationScoped
public class SegmentReads {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    PipelineClient pipeline;

    @Inject
    PipelineQueries queries;

    @Inject
    StatusMonitor monitor;

    @Inject
    ImportService imports;

    @Inject
    IngestConfig config;

    /** Live segments by key, from {@code after} (exclusive), whose key starts with {@code prefix}. */
    public SegmentPage list(String environmentId, Integer limit, String after, String prefix)
            throws InterruptedException {
        int n = limit(limit);
        pipeline.syncSegments(SYNC_TIMEOUT);
        List<SegmentDefinition> live = StreamSupport.stream(pipeline.segments().spliterator(), false)
                .filter(d -> d.getEnvironmentId().equals(environmentId) && !d.getDeleted())
                .filter(d -> prefix == null || d.getSegmentKey().startsWith(prefix))
                .filter(d -> after == null || d.getSegmentKey().compareTo(after) > 0)
                .sorted(Comparator.comparing(SegmentDefinition::getSegmentKey)).limit(n + 1L).toList();
        List<SegmentDefinition> page = live.subList(0, Math.min(n, live.size()));
        List<SegmentCounts> counts = null;
        String unavailable = null;
        try {
            counts = page.isEmpty() ? List.of() : queries.counts(environmentId,
                    page.stream().map(d -> new SegmentAt(d.getSegmentKey(), d.getGeneration())).toList());
        } catch (QueryUnavailable e) {
            unavailable = e.getMessage();
        }
        List<SegmentSummary> items = new ArrayList<>(page.size());
        for (int i = 0; i < page.size(); i++) {
            items.add(summary(page.get(i), counts == null ? null : counts.get(i)));
        }
        String next = live.size() > n ? page.get(page.size() - 1).getSegmentKey() : null;
        return new SegmentPage(items, next, unavailable);
    }

    private static SegmentSummary summary(SegmentDefinition d, SegmentCounts c) {
        return new SegmentSummary(d.getSegmentKey(), d.getName(), d.getGeneration(), d.getContextKind(),
                c == null ? null : c.included(), c == null ? null : c.excluded(), c == null ? null : c.lastChangeAt(),
                d.getUpdatedAt().toEpochMilli(), d.getActiveImportId(), d.getPendingCleanups());
    }

    /** Each key's membership in the segment's current generation; the keys are hashed first thing. */
    public List<ContextMembership> lookup(SegmentDefinition segment, List<String> keys) {
        if (keys == null || keys.isEmpty()) {
            throw new InvalidRequest("/keys must be a non-empty array of context keys");
        }
        if (keys.size() > config.lookup().maxKeys()) {
            throw new InvalidRequest("/keys holds " + keys.size() + " keys, more than "
                    + "bigsegments.ingest.lookup.max-keys (" + config.lookup().maxKeys() + ")");
        }
        List<String> hashes = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (key == null || key.isEmpty()) {
                throw new InvalidRequest("/keys/" + i + " must be a non-empty context key");
            }
            hashes.add(ContextHashes.hash(key));
        }
        List<Membership> answers = ask(() -> queries.members(segment.getEnvironmentId(), segment.getSegmentKey(),
                segment.getGeneration(), hashes));
        List<ContextMembership> out = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            out.add(new ContextMembership(keys.get(i), answers.get(i).included(), answers.get(i).excluded()));
        }
        return out;
    }

    public SegmentStatus status(SegmentDefinition d) throws InterruptedException {
        SegmentCounts c = ask(() -> queries.counts(d.getEnvironmentId(),
                List.of(new SegmentAt(d.getSegmentKey(), d.getGeneration())))).get(0);
        long reference = c.lastChangeAt() != null ? c.lastChangeAt() : d.getUpdatedAt().toEpochMilli();
        List<StoreState> stores = monitor.freshness(d.getEnvironmentId(), System.currentTimeMillis()).stream()
                .map(f -> new StoreState(f.store(), f.groupId(), f.synchronizedOn(), f.ageSeconds(),
                        f.synchronizedOn() != null && f.synchronizedOn() >= reference && !f.refilling() && !f.lost()))
                .toList();
        ImportView active = d.getActiveImportId() == null ? null : imports.status(
                new SegmentId(d.getEnvironmentId(), d.getSegmentKey()), d.getActiveImportId()).orElse(null);
        return new SegmentStatus(d.getSegmentKey(), d.getName(), d.getGeneration(), d.getContextKind(), c.included(),
                c.excluded(), c.lastChangeAt(), d.getUpdatedAt().toEpochMilli(), active, d.getPendingCleanups(),
                stores);
    }

    /** The segment's imports, newest first, from {@code after} (an import id, exclusive). */
    public ImportPage imports(SegmentId segment, Integer limit, String after) throws InterruptedException {
        int n = limit(limit);
        pipeline.syncImports(SYNC_TIMEOUT);
        List<ImportStatus> all = monitor.sortedImports(segment.environmentId()).stream()
                .filter(s -> s.getSegmentKey().equals(segment.segmentKey())).toList();
        int from = 0;
        if (after != null) {
            from = indexOf(all, after) + 1;
            if (from == 0) {
                throw new InvalidRequest("after names no import of segment " + segment.segmentKey() + ": " + after);
            }
        }
        List<ImportStatus> page = all.subList(from, Math.min(all.size(), from + n));
        String next = from + n < all.size() ? page.get(page.size() - 1).getImportId() : null;
        return new ImportPage(page.stream().map(s -> ImportView.of(s, null)).toList(), next);
    }

    private static int indexOf(List<ImportStatus> imports, String importId) {
        for (int i = 0; i < imports.size(); i++) {
            if (imports.get(i).getImportId().equals(importId)) {
                return i;
            }
        }
        return -1;
    }

    private static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequest("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        return limit;
    }

    private static <T> T ask(java.util.function.Supplier<T> question) {
        try {
            return question.get();
        } catch (QueryUnavailable e) {
            Unavailable unavailable = new Unavailable(e.getMessage() + "; retry");
            unavailable.initCause(e);
            throw unavailable;
        }
    }
}
