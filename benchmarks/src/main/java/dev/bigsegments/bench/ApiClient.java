package dev.bigsegments.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few calls the benchmark makes to the HTTP API; the CSV is streamed from disk, as a client would. */
final class ApiClient {
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z_]+)\"");
    private static final Pattern GENERATION = Pattern.compile("\"generation\":([0-9]+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String root;
    private final String base;
    private final String token;

    ApiClient(int port, String token) {
        this.root = "http://127.0.0.1:" + port;
        this.base = root + "/api/v2/segments/default/production";
        this.token = token;
    }

    void createSegment(String key) throws IOException, InterruptedException {
        String body = "{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"unbounded\":true}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        require(r, 201);
    }

    /** Uploads the file as multipart form data and returns the import's status URL. */
    String startImport(String segment, Path csv, String mode) throws IOException, InterruptedException {
        String boundary = "bench-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\n" + mode + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        long length = head.length() + Files.size(csv) + tail.length();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/" + segment + "/imports"))
                .header("Authorization", token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body(
                        head, csv, tail)), length)).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        require(r, 204);
        return r.headers().firstValue("Location").orElseThrow();
    }

    String status(String location) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(location)).header("Authorization", token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        require(r, 200);
        Matcher m = STATUS.matcher(r.body());
        return m.find() ? m.group(1) : "unknown";
    }

    /** The segment's current generation (a synced cohort's segment is created by its first request). */
    int generation(String segment) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/" + segment))
                .header("Authorization", token).GET().build(), HttpResponse.BodyHandlers.ofString());
        require(r, 200);
        Matcher m = GENERATION.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no generation in " + r.body());
        }
        return Integer.parseInt(m.group(1));
    }

    /** A synced-segment request ({@code POST /api/v2/segment-targets/{integrationKey}}), sent without waiting. */
    CompletableFuture<HttpResponse<String>> postSynced(String integration, String json) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(root + "/api/v2/segment-targets/" + integration))
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static InputStream body(String head, Path csv, String tail) {
        try {
            List<InputStream> parts = List.of(new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)),
                    Files.newInputStream(csv), new ByteArrayInputStream(tail.getBytes(StandardCharsets.UTF_8)));
            return new SequenceInputStream(Collections.enumeration(parts));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void require(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().method() + " " + r.uri() + " answered " + r.statusCode()
                    + ": " + r.body());
        }
    }
}
