package dev.bigsegments.schemas.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an in-process registry ({@code mock://<scope>}) over the Confluent Schema Registry REST API, so that
 * producers and consumers outside the JVM (any Confluent-compatible serializer) share the ids of the services
 * inside it. The JDK's HTTP server, on a few threads: a registry answers a handful of requests per client.
 */
public final class RegistryEndpoint implements AutoCloseable {
    /** A larger request body is refused (413) before it is read: schemas are a few kilobytes. */
    public static final int MAX_REQUEST_BYTES = 1 << 20;
    /**
     * The rest of a refused body is read and dropped up to this much, in a small buffer, so that the client
     * gets the 413 instead of a reset connection; past it the connection is simply closed.
     */
    private static final long MAX_DISCARDED_BYTES = 16L << 20;
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int THREADS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RegistryEndpoint.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final RegistryRoutes routes;
    private final Predicate<String> authorized;

    private RegistryEndpoint(HttpServer server, InProcessSchemaRegistry registry, Predicate<String> authorized) {
        this.server = server;
        this.routes = new RegistryRoutes(registry);
        this.authorized = authorized;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "registry-endpoint-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts serving {@code registry} on {@code address} (port 0 picks a free one).
     *
     * @param tls        HTTPS with this context, or null for plain HTTP
     * @param authorized whether a request's {@code Authorization} header (null when absent) may pass; 401 if not
     */
    public static RegistryEndpoint start(InProcessSchemaRegistry registry, InetSocketAddress address, SSLContext tls,
            Predicate<String> authorized) throws IOException {
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        return new RegistryEndpoint(server, registry, authorized);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            RegistryRoutes.Answer answer;
            try {
                answer = answer(exchange);
            } catch (IllegalArgumentException e) {
                answer = RegistryRoutes.Answer.error(400, 400, "Malformed request URL: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("registry endpoint failed on {} {}", exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(), e);
                answer = RegistryRoutes.Answer.error(500, SchemaRegistryException.STORE_ERROR,
                        "Internal Server Error: " + e.getClass().getSimpleName());
            }
            send(exchange, answer);
        }
    }

    private RegistryRoutes.Answer answer(HttpExchange exchange) throws IOException {
        if (!authorized.test(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"schema-registry\"");
            return RegistryRoutes.Answer.error(401, 401, "Unauthorized");
        }
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            if (declared != null && parseLength(declared) > MAX_REQUEST_BYTES) {
                return tooLarge(in);
            }
            body = in.readNBytes(MAX_REQUEST_BYTES + 1);
            if (body.length > MAX_REQUEST_BYTES) {
                return tooLarge(in);
            }
        }
        return routes.handle(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                query(exchange.getRequestURI().getRawQuery()), new String(body, StandardCharsets.UTF_8));
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static RegistryRoutes.Answer tooLarge(InputStream rest) throws IOException {
        byte[] sink = new byte[8192];
        long discarded = 0;
        for (int n; discarded < MAX_DISCARDED_BYTES && (n = rest.read(sink)) > 0; ) {
            discarded += n;
        }
        return RegistryRoutes.Answer.error(413, 413, "The request body is larger than " + MAX_REQUEST_BYTES + " bytes");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            query.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static void send(HttpExchange exchange, RegistryRoutes.Answer answer) throws IOException {
        byte[] bytes = answer.body() instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(answer.body());
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
