package dev.bigsegments.standalone;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.FreePorts;
import dev.bigsegments.schemas.ContextHashes;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
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

    @Test
    void aQuestionAboutASegmentTheOtherProcessorHoldsIsPassedOnToIt() throws Exception {
        PipelineScenario scenario = new PipelineScenario("queries");
        int first = FreePorts.next();
        int second = FreePorts.next();
        int port = FreePorts.next();
        Map<String, String> ingest = scenario.ingest(port, TOKEN);
        ingest.put("BIGSEGMENTS_INGEST_PROCESSOR_URL", "http://127.0.0.1:" + first);
        try (ServiceProcess a = new ServiceProcess("stream-processor", processor(scenario, first)).start();
                ServiceProcess b = new ServiceProcess("stream-processor", processor(scenario, second)).start();
                ServiceProcess api = new ServiceProcess("ingest-service", ingest).start()) {
            a.awaitReady();
            b.awaitReady();
            api.awaitReady();
            ImportClient client = new ImportClient(port, scenario, TOKEN);
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

    private static Map<String, String> processor(PipelineScenario scenario, int port) throws Exception {
        Map<String, String> env = scenario.processor();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("BIGSEGMENTS_PROCESSOR_ADVERTISED_ADDRESS", "127.0.0.1:" + port);
        env.put("BIGSEGMENTS_PROCESSOR_STATE_DIR", Files.createTempDirectory("queries-state").toString());
        return env;
    }

    private static String segmentsUrl(int port, PipelineScenario scenario) {
        return "http://127.0.0.1:" + port + "/api/v2/segments/" + PipelineScenario.PROJECT + "/"
                + scenario.environmentKey();
    }
}
