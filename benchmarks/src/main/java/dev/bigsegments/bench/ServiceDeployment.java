package dev.bigsegments.bench;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.embedded.FreePorts;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.TopicSetup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The three services as separate processes from their packaged artifacts, configured only through
 * environment variables as in the Kubernetes manifests. A namespace gives the deployment its own topics,
 * consumer groups, state and Redis prefix, so it shares the broker and the Redis with the other workloads
 * without touching what they measure.
 */
final class ServiceDeployment implements AutoCloseable {
    static final String ENVIRONMENT_ID = "demo-client-side-id";
    /** The ingest service's heap, as the scale workload (2) prescribes; the file is streamed, never held. */
    static final String INGEST_HEAP = "256m";
    /** Room for the processor's and the writer's batches; their peak use is what the table reports. */
    static final String SERVICE_HEAP = "512m";
    private static final List<String> MODULES = List.of("stream-processor", "store-writer", "ingest-service");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String prefix;
    private final Map<String, ChildJvm> services;
    /** Each service's management port: health and metrics. */
    private final Map<String, Integer> managementPorts;
    private final ApiClient api;

    private ServiceDeployment(String prefix, Map<String, ChildJvm> services, Map<String, Integer> managementPorts,
            ApiClient api) {
        this.prefix = prefix;
        this.services = services;
        this.managementPorts = managementPorts;
        this.api = api;
    }

    static ServiceDeployment start(String namespace, EmbeddedKafka kafka, EmbeddedRedis redis, String token,
            long maxImportKeys, Path work) throws Exception {
        return start(namespace, kafka, redis, token, maxImportKeys, work, new Processors(1, 1, 1));
    }

    /**
     * How the stream processor runs: {@code instances} processes of one application id, each with
     * {@code threads} stream threads, and {@code shards} per segment.
     */
    record Processors(int instances, int shards, int threads) {
    }

    static ServiceDeployment start(String namespace, EmbeddedKafka kafka, EmbeddedRedis redis, String token,
            long maxImportKeys, Path work, Processors processors) throws Exception {
        TopicNames topics = TopicNames.namespaced(namespace);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensureTopics(admin, topics, 4, (short) 1);
        }
        Map<String, ChildJvm> services = new LinkedHashMap<>();
        Map<String, Integer> managementPorts = new LinkedHashMap<>();
        int apiPort = FreePorts.next();
        try {
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= processors.instances(); i++) {
                names.add(i == 1 ? "stream-processor" : "stream-processor-" + i);
            }
            names.addAll(MODULES.subList(1, MODULES.size()));
            for (String name : names) {
                String module = name.startsWith("stream-processor") ? "stream-processor" : name;
                int port = module.equals("ingest-service") ? apiPort : FreePorts.next();
                int managementPort = FreePorts.next();
                Map<String, String> env = common(namespace, topics, kafka, port, managementPort);
                env.putAll(switch (module) {
                    case "stream-processor" -> Map.of("BIGSEGMENTS_PROCESSOR_APPLICATION_ID", namespace + "-processor",
                            "BIGSEGMENTS_PROCESSOR_STATE_DIR", Files.createDirectories(work.resolve(namespace
                                    + "-state-" + name)).toString(),
                            "BIGSEGMENTS_PROCESSOR_SHARDS", String.valueOf(processors.shards()),
                            "BIGSEGMENTS_PROCESSOR_THREADS", String.valueOf(processors.threads()));
                    case "store-writer" -> Map.of("BIGSEGMENTS_WRITER_REDIS_URI", redis.uri(),
                            "BIGSEGMENTS_WRITER_REDIS_GROUP_ID", namespace + "-writer",
                            "BIGSEGMENTS_WRITER_PROCESSOR_APPLICATION_ID", namespace + "-processor",
                            "BIGSEGMENTS_WRITER_STAMP_INTERVAL", "200ms");
                    default -> Map.of("BIGSEGMENTS_INGEST_TOKENS_BENCH_SECRET", token,
                            "BIGSEGMENTS_INGEST_TOKENS_BENCH_ENVIRONMENTS", "*",
                            "BIGSEGMENTS_INGEST_CSV_MAX_KEYS", String.valueOf(maxImportKeys),
                            "BIGSEGMENTS_INGEST_IMPORT_DIRECTORY", work.resolve(namespace + "-uploads").toString());
                });
                String heap = module.equals("ingest-service") ? INGEST_HEAP : SERVICE_HEAP;
                services.put(name, ChildJvm.start(name, module, heap, List.of(), env,
                        work.resolve(namespace + "-" + name + ".log")));
                managementPorts.put(name, managementPort);
            }
            ServiceDeployment deployment = new ServiceDeployment(namespace, services, managementPorts,
                    new ApiClient(apiPort, token));
            deployment.awaitReady();
            return deployment;
        } catch (Exception | Error e) {
            for (ChildJvm jvm : services.values()) {
                jvm.close();
            }
            throw e;
        }
    }

    private static Map<String, String> common(String namespace, TopicNames topics, EmbeddedKafka kafka, int port,
            int managementPort) {
        Map<String, String> env = new HashMap<>();
        env.put("BIGSEGMENTS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("BIGSEGMENTS_KAFKA_PARTITIONS", "4");
        env.put("BIGSEGMENTS_REGISTRY_URL", "mock://" + namespace);
        env.put("BIGSEGMENTS_TOPICS_COMMANDS", topics.commands());
        env.put("BIGSEGMENTS_TOPICS_MEMBERSHIP", topics.membership());
        env.put("BIGSEGMENTS_TOPICS_SEGMENTS", topics.segments());
        env.put("BIGSEGMENTS_TOPICS_IMPORTS", topics.imports());
        env.put("BIGSEGMENTS_TOPICS_DEAD_LETTER", topics.deadLetter());
        env.put("BIGSEGMENTS_TOPICS_STATUS", topics.status());
        env.put("BIGSEGMENTS_ENVIRONMENTS_BENCH_ID", ENVIRONMENT_ID);
        env.put("BIGSEGMENTS_ENVIRONMENTS_BENCH_PROJECT_KEY", "default");
        env.put("BIGSEGMENTS_ENVIRONMENTS_BENCH_ENVIRONMENT_KEY", "production");
        env.put("BIGSEGMENTS_ENVIRONMENTS_BENCH_STORE_PREFIX", namespace);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        return env;
    }

    private void awaitReady() throws InterruptedException {
        for (Map.Entry<String, ChildJvm> service : services.entrySet()) {
            service.getValue().awaitReady(managementPorts.get(service.getKey()));
        }
    }

    /** A counter of the service's metrics ({@code /q/metrics}, Prometheus text), 0 before it counts anything. */
    long counter(String service, String name) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPorts.get(service)
                + "/q/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** CPU seconds each service's process has used so far, by name. */
    Map<String, Double> cpuSeconds() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        services.forEach((name, jvm) -> cpu.put(name, jvm.cpuSeconds()));
        return cpu;
    }

    /** The names of the stream processor's processes. */
    List<String> processorNames() {
        return services.keySet().stream().filter(n -> n.startsWith("stream-processor")).toList();
    }

    ApiClient api() {
        return api;
    }

    /** The Redis prefix the writer uses. */
    String prefix() {
        return prefix;
    }

    /** Starts sampling every service's heap; close it when the workload ends. */
    HeapSampler sampleHeaps() {
        return new HeapSampler(managementPorts);
    }

    /** Fails with the log's location if a service has died. */
    void requireAlive() {
        services.values().forEach(ChildJvm::requireAlive);
    }

    /** "ingest-service (-Xmx256m) heap 120 / RSS 400 MiB; ..." for every service. */
    String memoryNote(HeapSampler heaps) {
        List<String> parts = new ArrayList<>();
        services.forEach((name, jvm) -> parts.add(String.format("%s (-Xmx%s) heap %d / RSS %d MiB", name,
                name.equals("ingest-service") ? INGEST_HEAP : SERVICE_HEAP, heaps.peakMiB(name),
                jvm.peakRssMiB())));
        return "peak " + String.join("; ", parts);
    }

    @Override
    public void close() throws InterruptedException {
        for (ChildJvm jvm : services.values()) {
            jvm.close();
        }
    }
}
