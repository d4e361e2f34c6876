package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.PipelineTestResource.CSV_MAX_FILE_BYTES;
import static dev.bigsegments.standalone.PipelineTestResource.TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * How the service refuses what it will not take, all in the JSON error shape: bad tokens past their
 * limit (429), bodies past each endpoint's limit (413, declared or streamed), the framework's own
 * answers, and a failure of the service itself (500, logged with its cause).
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineTestResource.class, restrictToAnnotatedClass = false)
class HttpRefusalsTest {
    private static final String BASE = "/api/v2/segments/proj/test";
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json", "Authorization", TOKEN);
    private static final String BOUNDARY = "refusals";

    @Test
    void badTokensFromOneAddressPastTheLimitAre429WithRetryAfterWhileAValidTokenStillPasses() throws Exception {
        // A loopback address of its own, so no other test's failures count here, nor these there.
        RawHttp client = new RawHttp(RestAssured.port).from("127.0.0.2");
        Map<String, String> bad = Map.of("Authorization", "guess-" + UUID.randomUUID());
        for (int i = 0; i < 20; i++) {
            assertThat(client.send("GET", BASE + "/any", bad, new byte[0]).status()).isEqualTo(401);
        }
        RawHttp.Answer limited = client.send("GET", BASE + "/any", bad, new byte[0]);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(JsonPath.from(limited.body()).getString("code")).isEqualTo("rate_limited");
        assertThat(client.send("GET", BASE + "/no-such-segment", Map.of("Authorization", TOKEN), new byte[0]).status())
                .as("a valid token is not limited").isEqualTo(404);
        given().header("Authorization", "guess").get(BASE + "/any").then().statusCode(401);
    }

    @Test
    void anAcceptedRequestGets100ContinueAndARefusedOneDoesNot() throws Exception {
        RawHttp client = new RawHttp(RestAssured.port);
        String key = "continue-" + UUID.randomUUID().toString().substring(0, 8);
        RawHttp.Answer accepted = client.expectContinue("POST", BASE, JSON,
                ("{\"key\":\"" + key + "\",\"unbounded\":true}").getBytes(StandardCharsets.UTF_8));
        assertThat(accepted.interim()).containsExactly(100);
        assertThat(accepted.status()).isEqualTo(201);
        RawHttp.Answer upload = client.expectContinue("POST", BASE + "/" + key + "/imports",
                Map.of("Content-Type", "multipart/form-data; boundary=" + BOUNDARY, "Authorization", TOKEN),
                (filePartHead() + "k1\n\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(upload.interim()).containsExactly(100);
        assertThat(upload.status()).as(upload.body()).isEqualTo(204);
        // One import runs per environment at a time: this one ends before any other test uploads.
        await().atMost(Duration.ofMinutes(1)).until(() -> given().header("Authorization", TOKEN)
                .get(upload.header("Location")).jsonPath().getString("status"), s -> s.equals("complete"));
        RawHttp.Answer refused = client.expectContinue("POST", BASE, Map.of("Content-Type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(refused.interim()).isEmpty();
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.bytesSent()).isZero();
    }

    @Test
    void everyBodyLimitIsA413NamingItsSettingWhetherDeclaredOrStreamed() throws Exception {
        RawHttp client = new RawHttp(RestAssured.port);
        String segment = createSegment();
        long jsonLimit = 4L * 1024 * 1024;
        assertTooLarge(client.expectContinue("POST", BASE, JSON, InputStream.nullInputStream(), jsonLimit + 1),
                jsonLimit, "bigsegments.ingest.json.max-body-bytes");
        assertTooLarge(client.send("POST", BASE + "/" + segment + "/contexts", JSON,
                endless("{\"included\":{\"add\":[", "\"a-context-key\","), -1), jsonLimit,
                "bigsegments.ingest.json.max-body-bytes");
        Map<String, String> multipart = Map.of("Content-Type", "multipart/form-data; boundary=" + BOUNDARY,
                "Authorization", TOKEN);
        String imports = BASE + "/" + segment + "/imports";
        assertTooLarge(client.expectContinue("POST", imports, multipart, InputStream.nullInputStream(),
                CSV_MAX_FILE_BYTES + 1), CSV_MAX_FILE_BYTES, "bigsegments.ingest.csv.max-file-bytes");
        assertTooLarge(client.send("POST", imports, multipart, endless(filePartHead(), "key\n"), -1),
                CSV_MAX_FILE_BYTES, "bigsegments.ingest.csv.max-file-bytes");
    }

    @Test
    void theFrameworksOwnRefusalsHaveTheErrorShape() throws Exception {
        String segment = createSegment();
        given().header("Authorization", TOKEN).get("/api/v2/nothing/here").then().statusCode(404)
                .body("code", equalTo("not_found")).body("message", equalTo("no resource at GET /api/v2/nothing/here"));
        given().header("Authorization", TOKEN).get("/nothing").then().statusCode(404).body("code", equalTo("not_found"));
        given().header("Authorization", TOKEN).put(BASE).then().statusCode(405)
                .body("code", equalTo("method_not_allowed"));
        given().header("Authorization", TOKEN).accept("text/csv").get(BASE + "/" + segment).then().statusCode(406)
                .body("code", equalTo("not_acceptable"));
        given().header("Authorization", TOKEN).contentType("text/plain").body("{}").post(BASE).then().statusCode(415)
                .body("code", equalTo("unsupported_media_type"));
        given().header("Authorization", TOKEN).contentType("application/json").body("{\"included\":{\"add\":[\"a\",")
                .post(BASE + "/" + segment + "/contexts").then().statusCode(400).body("code", equalTo("invalid_request"))
                .body("message", startsWith("the body is not valid JSON: "))
                .body("message", org.hamcrest.Matchers.endsWith("(line 1, column 25, at /included/add/1)"));
        RawHttp.Answer cutShort = new RawHttp(RestAssured.port).send("POST", BASE + "/" + segment + "/imports",
                Map.of("Content-Type", "multipart/form-data; boundary=" + BOUNDARY, "Authorization", TOKEN),
                (filePartHead() + "k1\nk2\n").getBytes(StandardCharsets.UTF_8));
        assertThat(cutShort.status()).isEqualTo(400);
        assertThat(JsonPath.from(cutShort.body()).getString("message"))
                .isEqualTo("the multipart body is malformed or ends before its closing boundary");
    }

    @Test
    void aFailureOfTheServiceIsA500WithAGenericMessageAndAnErrorLogLineWithItsCause() throws Exception {
        String segment = createSegment();
        String rawKey = "raw-context-key-" + UUID.randomUUID();
        Path imports = Path.of(ConfigProvider.getConfig().getValue("bigsegments.ingest.import-directory", String.class));
        List<ExtLogRecord> logged = new ArrayList<>();
        Handler capture = capture(logged);
        Logger root = Logger.getLogger("");
        // The uploaded file cannot be kept: its directory is a file now.
        deleteRecursively(imports);
        Files.writeString(imports, "not a directory");
        root.addHandler(capture);
        try {
            JsonPath answer = given().header("Authorization", TOKEN)
                    .multiPart("file", "keys.csv", (rawKey + "\n").getBytes(StandardCharsets.UTF_8), "text/csv")
                    .multiPart("mode", "merge").post(BASE + "/" + segment + "/imports").then().statusCode(500)
                    .body("code", equalTo("internal_error")).extract().jsonPath();
            String message = answer.getString("message");
            String reference = message.substring(message.lastIndexOf(' ') + 1);
            // The ingest service's own answer, not that of another module's mappers in the same application.
            assertThat(message).startsWith("the request failed inside the service;").doesNotContain("Exception")
                    .doesNotContain(imports.toString());
            assertThat(logged).filteredOn(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()
                    && r.getFormattedMessage().contains(reference)).singleElement()
                    .satisfies(r -> assertThat(r.getThrown()).isNotNull());
            assertThat(logged).noneSatisfy(r -> assertThat(r.getFormattedMessage()
                    + (r.getThrown() == null ? "" : r.getThrown().toString())).contains(rawKey));
        } finally {
            root.removeHandler(capture);
            Files.delete(imports);
            Files.createDirectories(imports);
        }
    }

    private static void assertTooLarge(RawHttp.Answer answer, long limit, String setting) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(413);
        JsonPath body = JsonPath.from(answer.body());
        assertThat(body.getString("code")).isEqualTo("payload_too_large");
        assertThat(body.getString("message")).isEqualTo("the body exceeds the limit of " + limit + " bytes ("
                + setting + ")");
    }

    private static String filePartHead() {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nmerge\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"keys.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n";
    }

    /** {@code head}, then {@code element} again and again: only a limit ends it. */
    private static InputStream endless(String head, String element) {
        byte[] repeated = element.repeat(4096).getBytes(StandardCharsets.UTF_8);
        return new SequenceInputStream(new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)),
                new InputStream() {
                    private int at;

                    @Override
                    public int read() {
                        return repeated[at++ % repeated.length];
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        int n = Math.min(len, repeated.length - at % repeated.length);
                        System.arraycopy(repeated, at % repeated.length, b, off, n);
                        at += n;
                        return n;
                    }
                });
    }

    private static String createSegment() {
        String key = "refusals-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"key\":\"" + key + "\",\"unbounded\":true}").post(BASE).then().statusCode(201);
        return key;
    }

    private static Handler capture(List<ExtLogRecord> into) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (into) {
                    into.add(ExtLogRecord.wrap(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
