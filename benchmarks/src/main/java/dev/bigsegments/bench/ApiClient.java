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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few calls the benchmark makes to the HTTP API; the CSV is streamed from disk, as a client would. */
final class ApiClient {
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z_]+)\"");

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String token;

    ApiClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port + "/api/v2/segments/default/production";
        this.token = token;
    }

    void createSegment(String key) throws IOException, InterruptedException {
        String body = "{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"unbounded\":true}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", token)
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
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        require(r, 204);
        return r.headers().firstValue("Location").orElseThrow();
    }

    String status(String location) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(location)).header("Authorization", token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        require(r, 200);
        Matcher m = STATUS.matcher(r.body());
        return m.find() ? m.group(1) : "unknown";
    }

    boolean ready() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base.replaceFirst("/api/.*", "")
                    + "/q/health/ready")).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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

    private static void require(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().method() + " " + r.uri() + " answered " + r.statusCode()
                    + ": " + r.body());
        }
    }
}
