package dev.bigsegments.bench;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.schemas.ContextHashes;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Workload 4: Amplitude cohort requests of 1,000 new members each, sent open-loop at 5,000 changes/s (a
 * request goes out on its slot however slow the earlier ones are), and for each request the time from its
 * 204 until every one of its members is in Redis, as {@link VisibilityMonitor} sees it.
 */
final class LatencyWorkload {
    static final int MEMBERS_PER_REQUEST = 1_000;
    static final int CHANGES_PER_SECOND = 5_000;
    /** The p99 asked for at this load, 204 to visible (it was 1,000 ms before sharded segments). */
    static final long TARGET_P99_MS = 250;
    /**
     * The same load is sent for this long before the measured period and not counted: the first requests
     * meet cold JIT-compiled code paths in every service, which a running deployment has long left behind.
     */
    static final int WARM_UP_SECONDS = 10;
    /** A request sent this long after its slot means the sender fell behind its schedule. */
    private static final long LATE_MS = 50;
    private static final String INTEGRATION = "amplitude";

    private LatencyWorkload() {
    }

    /** Runs the workload on its own deployment; each request's timeline goes to latency-timeline.csv in work. */
    static void run(int seconds, EmbeddedKafka kafka, EmbeddedRedis redis, RedisProbe probe, Path work,
            double baseline, ResultTable table) throws Exception {
        try (ServiceDeployment services = ServiceDeployment.start("latency", kafka, redis, BenchmarkMain.TOKEN, 1,
                work)) {
            measure(services, probe, seconds, work.resolve("latency-timeline.csv"), baseline, table);
        }
    }

    private static void measure(ServiceDeployment services, RedisProbe probe, int seconds, Path timeline,
            double baseline, ResultTable table) throws Exception {
        String cohort = "latency-" + System.currentTimeMillis();
        String ref = warmUp(services.api(), probe, services.prefix(), cohort);
        int warmUp = WARM_UP_SECONDS * CHANGES_PER_SECOND / MEMBERS_PER_REQUEST;
        int requests = seconds * CHANGES_PER_SECOND / MEMBERS_PER_REQUEST;
        long period = TimeUnit.SECONDS.toNanos(1) * MEMBERS_PER_REQUEST / CHANGES_PER_SECOND;
        List<VisibilityMonitor.Request> sent = new ArrayList<>(requests);
        List<CompletableFuture<Void>> answers = new ArrayList<>(warmUp + requests);
        try (VisibilityMonitor monitor = VisibilityMonitor.start(probe, services.prefix(), ref)) {
            long warmUpStart = System.nanoTime();
            long start = warmUpStart + warmUp * period;
            for (int i = 0; i < warmUp + requests; i++) {
                List<String> keys = keys(cohort, i);
                long slot = warmUpStart + i * period;
                LockSupport.parkNanos(slot - System.nanoTime());
                VisibilityMonitor.Request request = monitor.watch(keys.stream().map(ContextHashes::hash).toList(), slot);
                answers.add(services.api().postSynced(INTEGRATION, body(cohort, keys))
                        .thenAccept(response -> request.answered(response.statusCode(), System.nanoTime())));
                if (i >= warmUp) {
                    sent.add(request);
                }
                services.requireAlive();
            }
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            CompletableFuture.allOf(answers.toArray(new CompletableFuture[0])).get(2, TimeUnit.MINUTES);
            monitor.awaitAllVisible(Duration.ofMinutes(10));
            LatencyReport report = LatencyReport.of(sent, LATE_MS);
            report.writeTimeline(sent, start, timeline);
            table.add("4. incremental: Amplitude, 1,000/request at 5,000/s", (long) requests * MEMBERS_PER_REQUEST,
                    requests * MEMBERS_PER_REQUEST / sendSeconds, baseline, report.note(TARGET_P99_MS)
                            + "; after " + WARM_UP_SECONDS + " s of the same load, not counted");
        }
    }

    /** One member through the pipeline first: creates the cohort's segment and returns its ref. */
    private static String warmUp(ApiClient api, RedisProbe probe, String prefix, String cohort) throws Exception {
        HttpResponse<String> r = api.postSynced(INTEGRATION, body(cohort, List.of(cohort + "-warm-up"))).get();
        ApiClient.require(r, 204);
        String segment = INTEGRATION + "-" + cohort;
        String ref = segment + ".g" + api.generation(segment);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!probe.included(prefix, List.of(ContextHashes.hash(cohort + "-warm-up")), ref).get(0)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the warm-up member did not reach Redis in 2 minutes");
            }
            Thread.sleep(50);
        }
        return ref;
    }

    private static List<String> keys(String cohort, int request) {
        List<String> keys = new ArrayList<>(MEMBERS_PER_REQUEST);
        for (int j = 0; j < MEMBERS_PER_REQUEST; j++) {
            keys.add(cohort + "-" + request + "-" + j);
        }
        return keys;
    }

    /** Amplitude's cohort webhook body: every member added to the one cohort. */
    private static String body(String cohort, List<String> keys) {
        StringBuilder json = new StringBuilder("{\"environmentId\":\"" + ServiceDeployment.ENVIRONMENT_ID
                + "\",\"batch\":[");
        for (int i = 0; i < keys.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"cohortId\":\"").append(cohort)
                    .append("\",\"cohortName\":\"Latency\",\"userId\":\"").append(keys.get(i))
                    .append("\",\"value\":true}");
        }
        return json.append("]}").toString();
    }
}
