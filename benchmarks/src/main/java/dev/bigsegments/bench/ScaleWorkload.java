package dev.bigsegments.bench;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Workload 2: workload 1's replace import at scale, through the three services as separate processes with
 * the ingest service at {@code -Xmx256m}; each service's peak heap and RSS show that no stage holds the file
 * or the segment in memory.
 */
final class ScaleWorkload {
    private ScaleWorkload() {
    }

    static void run(int keys, EmbeddedKafka kafka, EmbeddedRedis redis, RedisProbe probe, Path work,
            double baseline, ResultTable table) throws Exception {
        Path csv = Imports.csv(work.resolve("scale.csv"), keys, 0);
        try (ServiceDeployment services = ServiceDeployment.start("scale", kafka, redis, BenchmarkMain.TOKEN, keys,
                work); HeapSampler heaps = services.sampleHeaps()) {
            services.api().createSegment(BenchmarkMain.SEGMENT);
            double seconds = Imports.timeReplace(services.api(), probe, services.prefix(), BenchmarkMain.SEGMENT, csv,
                    services::requireAlive);
            table.add("2. scale: (1) on 3 services, ingest -Xmx" + ServiceDeployment.INGEST_HEAP, keys, keys / seconds,
                    baseline, services.memoryNote(heaps));
        } finally {
            Files.deleteIfExists(csv);
        }
    }
}
