package dev.bigsegments.bench;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Workload 6: one replace import through the three services as separate processes, first with one stream
 * processor and one shard per segment, then with the stream processor as two processes of one application id
 * and 4 shards on the 4 partitions, so that the one import is applied by both. Each deployment runs a smaller
 * import first (its JVMs warm), then the measured one; the notes say how the measured import's keys divided
 * between the processors (each one's {@code bigsegments.processor.import.keys.applied}).
 */
final class ShardedWorkload {
    static final String APPLIED = "bigsegments_processor_import_keys_applied_total";

    private ShardedWorkload() {
    }

    static void run(int keys, EmbeddedKafka kafka, EmbeddedRedis redis, RedisProbe probe, Path work,
            double baseline, ResultTable table) throws Exception {
        Path warmUp = Imports.csv(work.resolve("sharded-warm-up.csv"), Math.max(1, keys / 4), 10 * keys);
        Path csv = Imports.csv(work.resolve("sharded.csv"), keys, 0);
        double single = 0;
        try {
            for (ServiceDeployment.Processors processors : List.of(new ServiceDeployment.Processors(1, 1, 1),
                    new ServiceDeployment.Processors(2, 4, 1))) {
                String namespace = processors.shards() == 1 ? "unsharded" : "sharded";
                try (ServiceDeployment services = ServiceDeployment.start(namespace, kafka, redis,
                        BenchmarkMain.TOKEN, keys, work, processors)) {
                    services.api().createSegment("warm-up");
                    Imports.timeReplace(services.api(), probe, services.prefix(), "warm-up", warmUp,
                            services::requireAlive);
                    services.api().createSegment(BenchmarkMain.SEGMENT);
                    Map<String, Long> before = applied(services);
                    double seconds = Imports.timeReplace(services.api(), probe, services.prefix(),
                            BenchmarkMain.SEGMENT, csv, services::requireAlive);
                    Map<String, Long> after = applied(services);
                    double rate = keys / seconds;
                    if (processors.shards() == 1) {
                        single = rate;
                        table.add("6. warm import on 3 services, 1 processor, 1 shard", keys, rate, baseline,
                                "after a " + Math.max(1, keys / 4) + "-key import in the same processes");
                    } else {
                        table.add("6. the same, 2 processor processes, 4 shards", keys, rate, baseline,
                                String.format("%.2f× the row above; %s", rate / single, shares(before, after)));
                    }
                }
            }
        } finally {
            Files.deleteIfExists(warmUp);
            Files.deleteIfExists(csv);
        }
    }

    private static Map<String, Long> applied(ServiceDeployment services) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String processor : services.processorNames()) {
            counts.put(processor, services.counter(processor, APPLIED));
        }
        return counts;
    }

    /** "stream-processor applied 50.1%, stream-processor-2 49.9% of the import's keys" */
    private static String shares(Map<String, Long> before, Map<String, Long> after) {
        long total = 0;
        for (String p : after.keySet()) {
            total += after.get(p) - before.get(p);
        }
        List<String> parts = new ArrayList<>();
        for (String p : after.keySet()) {
            parts.add(String.format("%s %.1f%%", p, 100.0 * (after.get(p) - before.get(p)) / Math.max(1, total)));
        }
        return "keys applied: " + String.join(", ", parts) + " (of " + total + ")";
    }
}
