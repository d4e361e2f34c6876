package dev.bigsegments.bench;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line: {@code --keys N} for workloads 1, 3 and 5, {@code --scale-keys} for 2,
 * {@code --latency-seconds} for 4 ({@code --keys} for 6 too), {@code --workloads 1,3,5,2,4,6} to run fewer or
 * in another order (1 and 3 run together, before 5, which rebuilds what they imported), {@code --ingest-heap} for
 * the standalone application of 1 and 3, and {@code --shards} and {@code --processor-threads} for its stream
 * processor (at most the 6 partitions it creates).
 */
record BenchOptions(int keys, int scaleKeys, int latencySeconds, String standaloneHeap, Set<Integer> workloads,
        int shards, int processorThreads) {
    static final String USAGE = "usage: BenchmarkMain [--keys 1000000] [--scale-keys 10000000] [--latency-seconds 60]"
            + " [--ingest-heap 1g] [--workloads 1,3,5,2,4,6] [--shards 1] [--processor-threads 1]";
    private static final List<Integer> ALL = List.of(1, 3, 5, 2, 4, 6);

    static BenchOptions parse(String... args) {
        int keys = 1_000_000;
        int scaleKeys = 10_000_000;
        int latencySeconds = 60;
        String heap = "1g";
        Set<Integer> workloads = new LinkedHashSet<>(ALL);
        int shards = 1;
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value; " + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--keys" -> keys = positive(option, value);
                case "--scale-keys" -> scaleKeys = positive(option, value);
                case "--latency-seconds" -> latencySeconds = positive(option, value);
                case "--ingest-heap" -> heap = value;
                case "--workloads" -> workloads = workloads(value);
                case "--shards" -> shards = positive(option, value);
                case "--processor-threads" -> threads = positive(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option + "; " + USAGE);
            }
        }
        return new BenchOptions(keys, scaleKeys, latencySeconds, heap, workloads, shards, threads);
    }

    boolean runs(int workload) {
        return workloads.contains(workload);
    }

    private static Set<Integer> workloads(String list) {
        Set<Integer> chosen = new LinkedHashSet<>();
        for (String item : list.split(",")) {
            if (!item.trim().matches("[0-9]") || !ALL.contains(Integer.parseInt(item.trim()))) {
                throw new IllegalArgumentException("--workloads takes numbers from 1 to 6, not " + item);
            }
            chosen.add(Integer.parseInt(item.trim()));
        }
        return chosen;
    }

    private static int positive(String option, String value) {
        if (!value.matches("[0-9]{1,9}") || Integer.parseInt(value) == 0) {
            throw new IllegalArgumentException(option + " takes a positive whole number, not " + value);
        }
        return Integer.parseInt(value);
    }
}
