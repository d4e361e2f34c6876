package dev.bigsegments.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls each service's used heap (the sum of {@code jvm_memory_used_bytes{area="heap"}} on
 * {@code /q/metrics}) while a workload runs and keeps the highest value seen: a sampled peak, so a
 * spike shorter than the interval can be missed.
 */
final class HeapSampler implements AutoCloseable {
    private static final long INTERVAL_MS = 100;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Long> peaks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heap-sampler");
        t.setDaemon(true);
        return t;
    });

    /** Starts sampling the services by name, each on its management port. */
    HeapSampler(Map<String, Integer> managementPorts) {
        timer.scheduleWithFixedDelay(() -> managementPorts.forEach(this::sample), 0, INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    /** The highest used heap seen for the service, in MiB; -1 if none was read. */
    long peakMiB(String service) {
        Long bytes = peaks.get(service);
        return bytes == null ? -1 : bytes / (1024 * 1024);
    }

    private void sample(String service, int managementPort) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/q/metrics"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            long used = 0;
            for (String line : body.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    used += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            peaks.merge(service, used, Math::max);
        } catch (IOException | RuntimeException e) {
            // Not up yet, or going down: the next sample counts.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
