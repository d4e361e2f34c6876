package dev.bigsegments.schemas.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one permitted fake: no schema registry server can run in this build, so this stub speaks the
 * documented Confluent REST responses ({@code {"id":N}}, {@code {"schema":"..."}}, and error bodies
 * {@code {"error_code":40403,"message":"Schema not found"}}) on 127.0.0.1 and records every request. It can
 * be stopped and started again on the same port with what it knew, as a registry that was unreachable for a
 * while. Other modules' tests use it from this module's test jar.
 */
public final class StubConfluentRegistry implements AutoCloseable {
    /** One received request, as sent on the wire. */
    public record Request(String method, String rawPath, String authorization, String contentType, String body,
            String rawQuery) {
    }

    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern LOOKUP = Pattern.compile("/subjects/([^/]+)");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> schemasById = new ArrayList<>();
    private final Map<String, Set<Integer>> idsBySubject = new HashMap<>();
    private volatile String requiredAuthorization;
    private volatile String nextRawAnswer;
    private volatile int nextRawStatus;
    private int rawAnswersLeft;

    public StubConfluentRegistry() throws IOException {
        serve(0);
    }

    private void serve(int port) throws IOException {
        HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        created.createContext("/", this::handle);
        created.start();
        server = created;
    }

    /** Stops answering: connections are refused until {@link #start()}. */
    public void stop() {
        server.stop(0);
    }

    /** Answers again, on the same port, with every schema it had. */
    public void start() throws IOException {
        serve(server.getAddress().getPort());
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Answers 401 unless requests carry exactly this Authorization header. */
    public void requireAuthorization(String header) {
        this.requiredAuthorization = header;
    }

    /** Answers the next request with this status and body, as a misbehaving proxy would. */
    public void answerNextWith(int status, String body) {
        answerWith(status, body, 1);
    }

    /** Answers the next {@code times} requests with this status and body (a recorded answer, say). */
    public synchronized void answerWith(int status, String body, int times) {
        this.nextRawStatus = status;
        this.nextRawAnswer = body;
        this.rawAnswersLeft = times;
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String path = exchange.getRequestURI().getRawPath();
        requests.add(new Request(exchange.getRequestMethod(), path, authorization,
                exchange.getRequestHeaders().getFirst("Content-Type"), body, exchange.getRequestURI().getRawQuery()));
        if (nextRawAnswer != null) {
            String raw = nextRawAnswer;
            if (--rawAnswersLeft <= 0) {
                nextRawAnswer = null;
            }
            send(exchange, nextRawStatus, raw);
        } else if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
            send(exchange, 401, error(401, "Unauthorized"));
        } else {
            route(exchange, exchange.getRequestMethod(), path, body);
        }
    }

    private void route(HttpExchange exchange, String method, String path, String body) throws IOException {
        Matcher m;
        if (method.equals("POST") && (m = REGISTER.matcher(path)).matches()) {
            send(exchange, 200, JSON.writeValueAsString(Map.of("id", register(decode(m.group(1)), schemaOf(body)))));
        } else if (method.equals("POST") && (m = LOOKUP.matcher(path)).matches()) {
            lookup(exchange, decode(m.group(1)), schemaOf(body));
        } else if (method.equals("GET") && (m = BY_ID.matcher(path)).matches()) {
            int id = Integer.parseInt(m.group(1));
            if (id < 1 || id > schemasById.size()) {
                send(exchange, 404, error(40403, "Schema not found"));
            } else {
                send(exchange, 200, JSON.writeValueAsString(Map.of("schema", schemasById.get(id - 1))));
            }
        } else {
            send(exchange, 404, error(404, "HTTP 404 Not Found"));
        }
    }

    private int register(String subject, String schema) {
        int id = schemasById.indexOf(schema) + 1;
        if (id == 0) {
            schemasById.add(schema);
            id = schemasById.size();
        }
        idsBySubject.computeIfAbsent(subject, s -> new HashSet<>()).add(id);
        return id;
    }

    private void lookup(HttpExchange exchange, String subject, String schema) throws IOException {
        Set<Integer> ids = idsBySubject.get(subject);
        int id = schemasById.indexOf(schema) + 1;
        if (ids == null) {
            send(exchange, 404, error(40401, "Subject '" + subject + "' not found."));
        } else if (!ids.contains(id)) {
            send(exchange, 404, error(40403, "Schema not found"));
        } else {
            send(exchange, 200, JSON.writeValueAsString(Map.of("subject", subject, "id", id, "version", 1, "schema", schema)));
        }
    }

    private static String schemaOf(String body) throws IOException {
        return JSON.readTree(body).path("schema").asText();
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static String error(int code, String message) throws IOException {
        return JSON.writeValueAsString(Map.of("error_code", code, "message", message));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
