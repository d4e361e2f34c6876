package dev.bigsegments.bench;

import java.util.ArrayList;
import java.util.List;

/** The one table of a run: each rate beside the redis-benchmark SADD rate measured on the same Redis. */
final class ResultTable {
    private static final String FORMAT = "| %-51s | %10s | %10s | %6s | %s |%n";

    private final List<String[]> rows = new ArrayList<>();

    void add(String workload, long keys, double rate, double baseline, String note) {
        String[] row = {workload, String.format("%,d", keys), String.format("%,.0f", rate),
                ratio(rate / baseline), note};
        System.err.println("  " + String.join(" | ", row));
        rows.add(row);
    }

    /** Two decimals, or four for the small ratios, which would otherwise all read 0.00. */
    private static String ratio(double r) {
        return String.format(r < 0.1 ? "%.4f" : "%.2f", r);
    }

    void failed(String workload, String reason) {
        String[] row = {workload + ". FAILED", "", "", "", reason};
        System.err.println("  " + String.join(" | ", row));
        rows.add(row);
    }

    void print() {
        System.out.printf(FORMAT, "workload", "keys", "keys/s", "ratio", "notes");
        System.out.printf(FORMAT, "-".repeat(51), "-".repeat(10), "-".repeat(10), "-".repeat(6), "-----");
        rows.forEach(r -> System.out.printf(FORMAT, (Object[]) r));
        System.out.printf("%n(ratio = rate / redis-benchmark SADD rate on the same Redis in this run; %d cores)%n",
                Runtime.getRuntime().availableProcessors());
    }
}
