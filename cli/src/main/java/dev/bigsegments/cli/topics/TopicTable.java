package dev.bigsegments.cli.topics;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

/** Prints the topics with their settings, one row each, and the problems and notes found on them. */
final class TopicTable {
    private static final String ROW = "%-36s %-8s %10s %11s %-15s %13s %19s%n";

    private TopicTable() {
    }

    /** @param created the topics this run created: their status reads "created", the others "found" */
    static void print(PrintWriter out, List<TopicInspection.Topic> topics, Set<String> created) {
        out.printf(ROW, "TOPIC", "STATUS", "PARTITIONS", "REPLICATION", "CLEANUP.POLICY", "RETENTION.MS",
                "MIN.INSYNC.REPLICAS");
        for (TopicInspection.Topic t : topics) {
            if (!t.exists()) {
                out.printf(ROW, t.name(), "MISSING", "-", "-", "-", "-", "-");
                continue;
            }
            out.printf(ROW, t.name(), created.contains(t.name()) ? "created" : "found", t.partitions(),
                    t.replicationFactor(), t.cleanupPolicy(), t.retentionMs(), t.minInSyncReplicas());
        }
    }

    static void print(PrintWriter out, String label, List<String> lines) {
        lines.forEach(line -> out.println(label + ": " + line));
    }
}
