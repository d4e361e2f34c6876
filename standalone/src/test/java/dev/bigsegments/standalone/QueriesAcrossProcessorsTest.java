package dev.bigsegments.standalone;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.FreePorts;
import dev.bigsegments.processor.query.SegmentQueries;
import dev.bigsegments.schemas.ContextHashes;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two stream processors, each advertising its query endpoint, share the segments' partitions; the ingest service
 * asks one of them. A question about a segment the other holds is passed on to it, so every membership and every
 * count comes back right; asked directly (as a passed-on question), the first one cannot answer for the other's
 * segments, which shows that some questions did travel.
 */
class QueriesAcrossProcessorsTest {
    private static final String TOKEN = "queries-token";
    private static final int SEGMENTS = 8;
    /** Members per segment in the sharded run, enough for every shard to hold some. */
    private static final int CONTEXTS = 16;

    @Test
    void aQuestionAboutASegmentTheOtherProcessorHoldsIsPassedOnToIt() throws Exception {
        try (TwoProcessors services = TwoProcessors.start("queries", Map.of())) {
            PipelineScenario scenario = services.scenario;
            int port = services.port;
            int first = services.first;
            ImportClient client = services.client;
            List<String> segments = new ArrayList<>();
            for (int i = 0; i < SEGMENTS; i++) {
                String segment = "across-" + i;
                client.createSegment(segment);
                given().header("Authorization", TOKEN).contentType("application/json")
                        .body("{\"included\":{\"add\":[\"in-" + i + "\",\"both-" + i + "\"]},"
                                + "\"excluded\":{\"add\":[\"out-" + i + "\"]}}")
                        .post(segmentsUrl(port, scenario) + "/" + segment + "/contexts").then().statusCode(204);
                segments.add(segment);
            }

            JsonPath list = await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(
                    () -> client.get("?prefix=across-"),
                    page -> page.getList("items").size() == SEGMENTS && page.getList("items.included").stream()
                            .allMatch(Integer.valueOf(2)::equals));
            assertThat(list.getList("items.excluded")).containsOnly(1);
            int passedOn = 0;
            for (int i = 0; i < SEGMENTS; i++) {
                assertThat(client.get(segments.get(i) + "/contexts/in-" + i).getBoolean("included")).isTrue();
                assertThat(client.get(segments.get(i) + "/contexts/out-" + i).getBoolean("excluded")).isTrue();
                String question = "{\"environmentId\":\"" + scenario.environmentId + "\",\"segmentKey\":\""
                        + segments.get(i) + "\",\"generation\":1,\"hashes\":[\"" + ContextHashes.hash("in-" + i)
                        + "\"]}";
                int direct = given().header("X-Bigsegments-Forwarded", "1").contentType("application/json")
                        .body(question).post("http://127.0.0.1:" + first + "/processor/v1/members").statusCode();
                assertThat(direct).isIn(200, 503);
                passedOn += direct == 503 ? 1 : 0;
            }
            assertThat(passedOn).as("segments held by the second processor").isBetween(1, SEGMENTS - 1);
        }
    }

    /**
     * With 4 shards over the two processors, each segment's members lie in shards that both hold: a lookup is asked
     * of the shard's holder and a count sums every shard wherever it is; each shard is held by one of the two.
     */
    @Test
    void withShardsEveryShardOfASegmentIsAskedOfTheProcessorThatHoldsIt() throws Exception {
        try (TwoProcessors services = TwoProcessors.start("queriesharded",
                Map.of("BIGSEGMENTS_PROCESSOR_SHARDS", String.valueOf(PipelineScenario.PARTITIONS)))) {
            PipelineScenario scenario = services.scenario;
            int port = services.port;
            ImportClient client = services.client;
            List<String> contexts = new ArrayList<>();
            for (int c = 0; c < CONTEXTS; c++) {
                contexts.add("member-" + c);
            }
            assertThat(contexts.stream().map(c -> SegmentQueries.shardOf(ContextHashes.hash(c),
                    PipelineScenario.PARTITIONS)).distinct()).as("the contexts lie in every shard")
                    .hasSize(PipelineScenario.PARTITIONS);
            for (int i = 0; i < SEGMENTS; i++) {
                client.createSegment("sharded-" + i);
                given().header("Authorization", TOKEN).contentType("application/json")
                        .body("{\"included\":{\"add\":[\"" + String.join("\",\"", contexts) + "\"]},"
                                + "\"excluded\":{\"add\":[\"out-" + i + "\"]}}")
                        .post(segmentsUrl(port, scenario) + "/sharded-" + i + "/contexts").then().statusCode(204);
            }

            JsonPath list = await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(
                    () -> client.get("?prefix=sharded-"),
                    page -> page.getList("items").size() == SEGMENTS && page.getList("items.included").stream()
                            .allMatch(Integer.valueOf(CONTEXTS)::equals));
            assertThat(list.getList("items.excluded")).as("counts summed over the shards").containsOnly(1);
            // Asked again should a rebalance move a shard meanwhile (a 503 then).
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                for (int i = 0; i < SEGMENTS; i++) {
                    String segment = "sharded-" + i;
                    for (String context : contexts) {
                        JsonPath answer = client.get(segment + "/contexts/" + context);
                        assertThat(answer.getBoolean("included")).as(context + " in " + segment).isTrue();
                        assertThat(answer.getBoolean("excluded")).isFalse();
                    }
                    assertThat(client.get(segment + "/contexts/out-" + i).getBoolean("excluded")).isTrue();
                }
            });
            // Each shard of a segment is answered by exactly one of the two, and each holds some: the questions above
            // were split between them.
            Map<Integer, Integer> answeredBy = new HashMap<>();
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> answeredBy.putAll(holders(services)));
            assertThat(answeredBy.values()).as("shards held by each processor")
                    .contains(services.first, services.second);
        }
    }

    /** Which processor (its port) answers each shard of segment sharded-0, asserting that exactly one does. */
    private static Map<Integer, Integer> holders(TwoProcessors services) {
        Map<Integer, Integer> answeredBy = new HashMap<>();
        for (int shard = 0; shard < PipelineScenario.PARTITIONS; shard++) {
            String part = "{\"environmentId\":\"" + services.scenario.environmentId + "\",\"parts\":[{\"segmentKey\":"
                    + "\"sharded-0\",\"generation\":1,\"shard\":" + shard + "}]}";
            int one = given().contentType("application/json").body(part)
                    .post("http://127.0.0.1:" + services.first + "/processor/v1/shard-counts").statusCode();
            int two = given().contentType("application/json").body(part)
                    .post("http://127.0.0.1:" + services.second + "/processor/v1/shard-counts").statusCode();
            assertThat(List.of(one, two)).as("shard " + shard).containsExactlyInAnyOrder(200, 503);
            answeredBy.put(shard, one == 200 ? services.first : services.second);
        }
        return answeredBy;
    }

    /** Two stream processors on ports {@code first} and {@code second}, each advertising its address, and the ingest service. */
    private static final class TwoProcessors implements AutoCloseable {
        final PipelineScenario scenario;
        final int first = FreePorts.next();
        final int second = FreePorts.next();
        final int port = FreePorts.next();
        final ImportClient client;
        private final List<ServiceProcess> processes = new ArrayList<>();

        private TwoProcessors(String name, Map<String, String> processorSettings) throws Exception {
            scenario = new PipelineScenario(name);
            client = new ImportClient(port, scenario, TOKEN);
            Map<String, String> ingest = scenario.ingest(port, TOKEN);
            ingest.put("BIGSEGMENTS_INGEST_PROCESSOR_URL", "http://127.0.0.1:" + first);
            processes.add(new ServiceProcess("stream-processor", processor(first, processorSettings)));
            processes.add(new ServiceProcess("stream-processor", processor(second, processorSettings)));
            processes.add(new ServiceProcess("ingest-service", ingest));
        }

        static TwoProcessors start(String name, Map<String, String> processorSettings) throws Exception {
            TwoProcessors services = new TwoProcessors(name, processorSettings);
            try {
                for (ServiceProcess process : services.processes) {
                    process.start();
                }
                services.processes.forEach(ServiceProcess::awaitReady);
                return services;
            } catch (Exception | AssertionError e) {
                services.close();
                throw e;
            }
        }

        private Map<String, String> processor(int processorPort, Map<String, String> settings) throws Exception {
            Map<String, String> env = scenario.processor();
            env.put("QUARKUS_HTTP_PORT", String.valueOf(processorPort));
            env.put("BIGSEGMENTS_PROCESSOR_ADVERTISED_ADDRESS", "127.0.0.1:" + processorPort);
            env.put("BIGSEGMENTS_PROCESSOR_STATE_DIR", Files.createTempDirectory("queries-state").toString());
            env.putAll(settings);
            return env;
        }

        @Override
        public void close() throws InterruptedException {
            close(0);
        }

        private void close(int from) throws InterruptedException {
            if (from < processes.size()) {
                try {
                    processes.get(from).close();
                } finally {
                    close(from + 1);
                }
            }
        }
    }

    private static String segmentsUrl(int port, PipelineScenario scenario) {
        return "http://127.0.0.1:" + port + "/api/v2/segments/" + PipelineScenario.PROJECT + "/"
                + scenario.environmentKey();
    }
}
