package dev.bigsegments.standalone;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A user of the ingest service's REST API: creates a big segment and uploads CSV files into it. */
final class ImportClient {
    private final String segmentsUrl;
    private final String token;

    ImportClient(int port, PipelineScenario scenario, String token) {
        this.segmentsUrl = "http://127.0.0.1:" + port + "/api/v2/segments/" + PipelineScenario.PROJECT + "/"
                + scenario.environmentKey();
        this.token = token;
    }

    /** Creates the segment (once the service is ready: {@link ServiceProcess#awaitReady}). */
    void createSegment(String key) {
        // A first answer lost to a slow pipeline leaves the segment created: a retry then meets it (409).
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions().untilAsserted(() ->
                assertThat(given().header("Authorization", token).contentType("application/json")
                        .body("{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"unbounded\":true,"
                                + "\"unboundedContextKind\":\"user\"}")
                        .post(segmentsUrl).statusCode()).isIn(201, 409));
    }

    /** Starts a replace import of {@code csv}; returns its id. */
    String upload(String segment, Path csv) {
        return tryUpload(segment, csv).orElseThrow(() -> new AssertionError("another import is running"));
    }

    /**
     * Uploads as a user retrying after a failure does: while the service restarts (no connection) or
     * still counts an earlier import as running (409), tries again.
     */
    String uploadWhenAccepted(String segment, Path csv, Duration atMost) {
        AtomicReference<String> id = new AtomicReference<>();
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreException(ConnectException.class)
                .until(() -> {
                    tryUpload(segment, csv).ifPresent(id::set);
                    return id.get() != null;
                });
        return id.get();
    }

    private Optional<String> tryUpload(String segment, Path csv) {
        Response started = given().header("Authorization", token).multiPart("file", csv.toFile(), "text/csv")
                .multiPart("mode", "replace").post(segmentsUrl + "/" + segment + "/imports");
        if (started.statusCode() == 409) {
            return Optional.empty();
        }
        assertThat(started.statusCode()).as(started.body().asString()).isEqualTo(204);
        String location = started.header("Location");
        return Optional.of(location.substring(location.lastIndexOf('/') + 1));
    }

    /** A GET of the API ({@code /status}, or a path under the segments of the environment when relative). */
    JsonPath get(String path) {
        String url = path.startsWith("/") ? segmentsUrl.substring(0, segmentsUrl.indexOf("/api/")) + path
                : segmentsUrl + "/" + path;
        Response r = given().header("Authorization", token).get(url);
        assertThat(r.statusCode()).as(r.body().asString()).isEqualTo(200);
        return r.jsonPath();
    }

    /** The import as the API shows it ({@code status}, {@code rowsRead}, ...); fails while the service is down. */
    JsonPath status(String segment, String importId) {
        Response r = given().header("Authorization", token).get(segmentsUrl + "/" + segment + "/imports/" + importId);
        assertThat(r.statusCode()).as(r.body().asString()).isEqualTo(200);
        return r.jsonPath();
    }
}
