package dev.bigsegments.ingest.status;

import dev.bigsegments.ingest.imports.ImportView;
import java.util.List;
import java.util.Map;

/** The bodies of {@code GET /status}, per environment and per store. */
public final class StatusViews {
    private StatusViews() {
    }

    /**
     * @param generatedAt when this status was put together (Unix ms)
     * @param processor the stream processor's progress through the commands
     * @param stores every store writer that reports to the status topic, by store and consumer group
     * @param environments the environments the token may use
     * @param deadLetters records set aside, by source and reason
     */
    public record PipelineStatus(long generatedAt, Processor processor, List<Store> stores,
            List<Environment> environments, DeadLetterCounts deadLetters) {
    }

    /** @param lag commands not yet processed; null when Kafka did not answer ({@code error} says why) */
    public record Processor(String applicationId, Long lag, String error) {
    }

    /**
     * One store writer (a consumer group; its instances' reports together).
     *
     * @param lag membership records not yet written to the store; null when Kafka did not answer
     * @param reporting a report newer than three of its intervals came from every instance
     * @param lastReportAt the newest report (Unix ms)
     */
    public record Store(String store, String target, String groupId, int instances, Long lag, boolean reporting,
            boolean ready, boolean reachable, String outage, String failure, long lastReportAt) {
    }

    /**
     * @param segments live segments
     * @param runningImports imports preparing or in progress, with their progress
     * @param recentImports the latest imports that finished or stopped, newest first
     */
    public record Environment(String name, String projectKey, String environmentKey, String id,
            List<Freshness> stores, long segments, List<ImportView> runningImports, List<ImportView> recentImports) {
    }

    /**
     * A store's freshness for one environment.
     *
     * @param synchronizedOn the last {@code synchronizedOn} the writer stamped (Unix ms), null before the first
     * @param ageSeconds seconds since then; SDKs report STALE past their {@code staleAfter} (2 minutes by default)
     * @param refilling the store lost data and is being refilled from the membership topic
     * @param lost the store lost data and waits for an operator (refills are off)
     */
    public record Freshness(String store, String groupId, Long synchronizedOn, Double ageSeconds, boolean refilling,
            boolean lost) {
    }

    /**
     * @param total every dead letter the topic holds (it keeps 14 days)
     * @param bySource counts by source ({@code stream-processor}, {@code store-writer/<group>}), then by reason
     * @param recent the latest, newest first; only for a token allowed every environment (their errors may name
     *     segments of any environment)
     */
    public record DeadLetterCounts(long total, Map<String, Map<String, Long>> bySource,
            List<DeadLetterTally.Recent> recent) {
    }
}
