package dev.bigsegments.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Percentiles of the 204-to-visible times and how far the sender strayed from its schedule. */
record LatencyReport(int requests, int failed, long p50Ms, long p99Ms, long maxMs, long answerP50Ms,
        long answerP99Ms, int late, long maxLateMs, long lateThresholdMs) {

    static LatencyReport of(List<VisibilityMonitor.Request> sent, long lateThresholdMs) {
        // Visible before the 204 reached the client counts as zero: the change was already there.
        long[] latencies = sent.stream().filter(r -> r.status == 204)
                .mapToLong(r -> Math.max(0, r.visible - r.answered) / 1_000_000).sorted().toArray();
        long[] answers = sent.stream().filter(r -> r.status == 204)
                .mapToLong(r -> (r.answered - r.sent) / 1_000_000).sorted().toArray();
        long[] lateness = sent.stream().mapToLong(r -> (r.sent - r.slot) / 1_000_000).toArray();
        int late = 0;
        long maxLate = 0;
        for (long l : lateness) {
            late += l > lateThresholdMs ? 1 : 0;
            maxLate = Math.max(maxLate, l);
        }
        if (latencies.length == 0) {
            throw new IllegalStateException("no request was answered 204");
        }
        return new LatencyReport(sent.size(), sent.size() - latencies.length, percentile(latencies, 50),
                percentile(latencies, 99), latencies[latencies.length - 1], percentile(answers, 50),
                percentile(answers, 99), late, maxLate, lateThresholdMs);
    }

    /** One line per request: milliseconds from the run's start to its slot, its send, its 204, its visibility. */
    void writeTimeline(List<VisibilityMonitor.Request> sent, long start, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("request,slot_ms,sent_ms,answered_ms,visible_ms,status\n");
            for (int i = 0; i < sent.size(); i++) {
                VisibilityMonitor.Request r = sent.get(i);
                w.write(String.format("%d,%d,%d,%d,%d,%d%n", i, (r.slot - start) / 1_000_000,
                        (r.sent - start) / 1_000_000, (r.answered - start) / 1_000_000,
                        (r.visible - start) / 1_000_000, r.status));
            }
        }
        System.err.println("per-request timeline: " + file);
    }

    /** Nearest rank. */
    private static long percentile(long[] sorted, int p) {
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    String note(long targetP99Ms) {
        String verdict = p99Ms <= targetP99Ms ? "met" : "NOT met";
        String sender = late == 0 ? "sender on schedule" : String.format(
                "sender behind: %d of %d requests > %d ms late (max %d ms)", late, requests, lateThresholdMs,
                maxLateMs);
        String errors = failed == 0 ? "" : String.format("; %d requests not answered 204", failed);
        return String.format("204 → visible p50 %d ms, p99 %d ms, max %d ms; target p99 ≤ %d ms %s;"
                + " request → 204 p50 %d ms, p99 %d ms; %s%s", p50Ms, p99Ms, maxMs, targetP99Ms, verdict, answerP50Ms,
                answerP99Ms, sender, errors);
    }
}
