package dev.bigsegments.bench;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.schemas.TopicNames;
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
                    Map<String, Double> cpuBefore = cpu(services, probe);
                    Map<String, String> topics = TopicRecords.processorTopics(TopicNames.namespaced(namespace),
                            namespace + "-processor", processors.shards() > 1);
                    List<String> names = List.copyOf(topics.keySet());
                    Map<String, Long> recordsBefore = TopicRecords.count(kafka.bootstrapServers(), names);
                    Imports.Timing timing = Imports.timed(services.api(), probe, services.prefix(),
                            BenchmarkMain.SEGMENT, csv, services::requireAlive);
                    Map<String, Long> after = applied(services);
                    String cpu = cpuNote(cpuBefore, cpu(services, probe), keys) + "; Kafka records written: "
                            + TopicRecords.perKey(recordsBefore, TopicRecords.count(kafka.bootstrapServers(), names),
                                    topics, keys);
                    double rate = keys / timing.seconds();
                    String upload = String.format("uploaded, published and staged in %.1f s (%,.0f keys/s), then"
                            + " applied and written", timing.stagedSeconds(), keys / timing.stagedSeconds());
                    if (processors.shards() == 1) {
                        single = rate;
                        table.add("6. warm import on 3 services, 1 processor, 1 shard", keys, rate, baseline,
                                "after a " + Math.max(1, keys / 4) + "-key import in the same processes; " + upload
                                        + "; " + cpu);
                    } else {
                        table.add("6. the same, 2 processor processes, 4 shards", keys, rate, baseline,
                                String.format("%.2f× the row above; %s; %s; %s", rate / single,
                                        shares(before, after), upload, cpu));
                    }
                }
            }
        } finally {
            Files.deleteIfExists(warmUp);
            Files.deleteIfExists(csv);
        }
    }

    /** CPU seconds so far of every service, of this JVM (the broker, mostly) and of Redis. */
    private static Map<String, Double> cpu(ServiceDeployment services, RedisProbe probe) {
        Map<String, Double> cpu = services.cpuSeconds();
        cpu.put("broker (benchmark JVM)", ChildJvm.cpuSeconds(ProcessHandle.current().pid()));
        cpu.put("redis", probe.cpuSeconds());
        return cpu;
    }

    /** "CPU s per 1,000,000 keys: stream-processor 9.1, ..., total 40.2" */
    private static String cpuNote(Map<String, Double> before, Map<String, Double> after, int keys) {
        List<String> parts = new ArrayList<>();
        double total = 0;
        for (String name : after.keySet()) {
            double used = (after.get(name) - before.get(name)) * 1_000_000.0 / keys;
            total += used;
            parts.add(String.format("%s %.1f", name, used));
        }
        return String.format("CPU s per 1,000,000 keys: %s, total %.1f", String.join(", ", parts), total);
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
