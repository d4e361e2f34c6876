package dev.bigsegments.ingest.status;

import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.imports.ImportView;
import dev.bigsegments.ingest.publish.PipelineClient;
import dev.bigsegments.ingest.status.StatusViews.DeadLetterCounts;
import dev.bigsegments.ingest.status.StatusViews.Environment;
import dev.bigsegments.ingest.status.StatusViews.Freshness;
import dev.bigsegments.ingest.status.StatusViews.PipelineStatus;
import dev.bigsegments.ingest.status.StatusViews.Processor;
import dev.bigsegments.ingest.status.StatusViews.Store;
import dev.bigsegments.schemas.Shards;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.StoreStatus;
import dev.bigsegments.schemas.kafka.CompactedTopicView;
import dev.bigsegments.schemas.kafka.Offsets;
import dev.bigsegments.support.PipelineConfig;
import dev.bigsegments.support.TopicBootstrap;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the pipeline's status together from what Kafka holds, so it is the same whether the services run in one
 * process or apart: the processor's and each writer's lag (their groups' committed offsets), each store's
 * stamps and reachability (the writers' reports on the status topic), imports and segments (their views) and
 * dead letters (their topic).
 */
@ApplicationScoped
public class StatusMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(StatusMonitor.class);
    private static final int ADMIN_TIMEOUT_MS = 5_000;
    private static final int RECENT_IMPORTS = 10;
    /** A writer instance whose report is older than this many of its intervals is not reporting. */
    private static final int STALE_INTERVALS = 3;

    @Inject
    PipelineConfig pipelineConfig;

    @Inject
    IngestConfig config;

    @Inject
    PipelineClient pipeline;

    private Admin admin;
    private CompactedTopicView<StoreStatus> reports;
    private DeadLetterTally deadLetters;

    void onStart(@Observes StartupEvent event) {
        // Another bean's start may not have made the topics yet: the status reads two of them at once.
        TopicBootstrap.prepare(pipelineConfig);
        Map<String, Object> client = pipelineConfig.clientConfig();
        Map<String, Object> adminConfig = new java.util.HashMap<>(client);
        adminConfig.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, ADMIN_TIMEOUT_MS);
        adminConfig.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, ADMIN_TIMEOUT_MS);
        admin = Admin.create(adminConfig);
        reports = new CompactedTopicView<>(pipelineConfig.topics().status(), client,
                Topics.STATUS.valueDeserializer(pipelineConfig.serdeConfig()));
        deadLetters = new DeadLetterTally(pipelineConfig.topics().deadLetter(), client,
                config.status().recentDeadLetters());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (admin != null) {
            reports.close();
            deadLetters.close();
            admin.close();
        }
    }

    /**
     * The status as a token allowed {@code environments} sees it (names under bigsegments.environments).
     *
     * @param everything whether the token may use every environment (it then sees the latest dead letters too)
     */
    public PipelineStatus status(Set<String> environments, boolean everything) {
        long now = System.currentTimeMillis();
        List<Store> stores = stores(now);
        List<Environment> envs = new ArrayList<>();
        pipelineConfig.environments().forEach((name, e) -> {
            if (environments.contains(name)) {
                envs.add(environment(name, e, now));
            }
        });
        Map<String, Map<String, Long>> counts = deadLetters.counts();
        long total = counts.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        return new PipelineStatus(now, processor(), stores, envs,
                new DeadLetterCounts(total, counts, everything ? deadLetters.recent() : List.of()));
    }

    private Processor processor() {
        String id = config.status().processorApplicationId();
        try {
            long lag = Offsets.groupLag(admin, id, pipelineConfig.topics().commands());
            // With shards, the router's output waits on the shard topic too.
            String shardTopic = Shards.topic(pipelineConfig.topicNames());
            if (admin.listTopics().names().get().contains(shardTopic)) {
                lag += Offsets.groupLag(admin, id, shardTopic);
            }
            return new Processor(id, lag, null);
        } catch (java.util.concurrent.ExecutionException e) {
            return new Processor(id, null, "Kafka did not answer: " + e.getCause().getMessage());
        } catch (RuntimeException e) {
            return new Processor(id, null, "Kafka did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Processor(id, null, "interrupted");
        }
    }

    /** The writers' reports grouped by store and group. */
    private List<Store> stores(long now) {
        Map<String, List<StoreStatus>> byGroup = new TreeMap<>();
        for (StoreStatus r : reports.values()) {
            byGroup.computeIfAbsent(r.getStore() + "/" + r.getGroupId(), k -> new ArrayList<>()).add(r);
        }
        List<Store> out = new ArrayList<>();
        byGroup.values().forEach(group -> out.add(store(group, now)));
        return out;
    }

    private Store store(List<StoreStatus> group, long now) {
        StoreStatus first = group.get(0);
        boolean reporting = group.stream().allMatch(r -> fresh(r, now));
        String outage = group.stream().map(StoreStatus::getOutage).filter(o -> o != null).findFirst().orElse(null);
        String failure = group.stream().map(StoreStatus::getFailure).filter(f -> f != null).findFirst().orElse(null);
        long last = group.stream().mapToLong(r -> r.getReportedAt().toEpochMilli()).max().orElse(0);
        return new Store(first.getStore(), first.getTarget(), first.getGroupId(), group.size(),
                lag(first.getGroupId()), reporting, reporting && group.stream().allMatch(StoreStatus::getReady),
                group.stream().allMatch(StoreStatus::getReachable), outage, failure, last);
    }

    private static boolean fresh(StoreStatus r, long now) {
        return now - r.getReportedAt().toEpochMilli() <= STALE_INTERVALS * Math.max(1, r.getReportIntervalMs());
    }

    private Long lag(String groupId) {
        try {
            return Offsets.groupLag(admin, groupId, pipelineConfig.topics().membership());
        } catch (RuntimeException e) {
            LOG.debug("lag of {} unknown: {}", groupId, e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private Environment environment(String name, PipelineConfig.EnvironmentConfig e, long now) {
        List<ImportView> running = new ArrayList<>();
        List<ImportView> finished = new ArrayList<>();
        for (ImportStatus s : sortedImports(e.id())) {
            boolean active = s.getStatus() == ImportState.PREPARING || s.getStatus() == ImportState.IN_PROGRESS;
            if (active) {
                running.add(ImportView.of(s, null));
            } else if (finished.size() < RECENT_IMPORTS) {
                finished.add(ImportView.of(s, null));
            }
        }
        long segments = StreamSupport.stream(pipeline.segments().spliterator(), false)
                .filter(d -> d.getEnvironmentId().equals(e.id()) && !d.getDeleted()).count();
        return new Environment(name, e.projectKey(), e.environmentKey(), e.id(), freshness(e.id(), now), segments,
                running, finished);
    }

    /** The environment's imports, newest first. */
    public List<ImportStatus> sortedImports(String environmentId) {
        return StreamSupport.stream(pipeline.imports().spliterator(), false)
                .filter(s -> s.getEnvironmentId().equals(environmentId))
                .sorted(Comparator.comparing(ImportStatus::getCreationTime).reversed()
                        .thenComparing(ImportStatus::getImportId))
                .toList();
    }

    /** Each store's freshness for one environment (the newest stamp any of its instances wrote). */
    public List<Freshness> freshness(String environmentId, long now) {
        Map<String, List<StoreStatus>> byGroup = new TreeMap<>();
        for (StoreStatus r : reports.values()) {
            byGroup.computeIfAbsent(r.getStore() + "/" + r.getGroupId(), k -> new ArrayList<>()).add(r);
        }
        List<Freshness> out = new ArrayList<>();
        byGroup.values().forEach(group -> {
            Long stamp = group.stream().map(r -> r.getStamps().get(environmentId)).filter(s -> s != null)
                    .max(Long::compare).orElse(null);
            out.add(new Freshness(group.get(0).getStore(), group.get(0).getGroupId(), stamp,
                    stamp == null ? null : (now - stamp) / 1000.0,
                    group.stream().anyMatch(r -> r.getRefilling().contains(environmentId)),
                    group.stream().anyMatch(r -> r.getLost().contains(environmentId))));
        });
        return out;
    }
}
