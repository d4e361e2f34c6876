package dev.bigsegments.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.schemas.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to a Confluent-compatible schema registry over its REST API. Ids and schemas are cached
 * forever (a registry never changes what an id means), so each schema costs one request per process.
 * With several URLs, the next is tried when one cannot be reached. A registry that does not answer (or
 * answers 429 or 5xx) is asked again a few times within a couple of seconds, then the failure is the
 * caller's to wait out ({@link SchemaRegistryException#unavailable()}); any other error answer is final.
 */
public final class ConfluentRestSchemaRegistryClient implements SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Short on purpose: the services wait out a longer outage themselves, with their own backoff. */
    static final Backoff RETRY = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(1), 3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ConfluentRestSchemaRegistryClient.class);

    private final List<String> baseUrls;
    private final String authorization;
    private final String query;
    private final HttpClient http;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    /** Since when the registry has not answered, and why; null while it answers. */
    private volatile Outage outage;

    /** The registry did not answer: since when, and the last failure. */
    public record Outage(Instant since, String lastError) {
    }

    private record SubjectSchema(String subject, Schema schema) {
    }

    /** Shares one HTTP client (and its selector thread) among all registry clients of the JVM. */
    private static final class SharedHttp {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    public ConfluentRestSchemaRegistryClient(RegistryConfig config) {
        this(config, config.trustStore() == null ? SharedHttp.CLIENT : HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT).sslContext(TrustStores.sslContext(config.trustStore())).build());
    }

    public ConfluentRestSchemaRegistryClient(RegistryConfig config, HttpClient http) {
        this.baseUrls = Arrays.stream(config.url().split(","))
                .map(String::trim).filter(u -> !u.isEmpty())
                .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                .toList();
        this.authorization = authorization(config);
        this.query = config.normalize() ? "?normalize=true" : "";
        this.http = http;
    }

    private static String authorization(RegistryConfig config) {
        if (config.basicAuthUserInfo() != null) {
            return "Basic " + Base64.getEncoder().encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
        }
        return config.bearerToken() == null ? null : "Bearer " + config.bearerToken();
    }

    @Override
    public int register(String subject, Schema schema) {
        return idOf(subject, schema, "/subjects/" + encode(subject) + "/versions" + query);
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return idOf(subject, schema, "/subjects/" + encode(subject) + query);
    }

    private int idOf(String subject, Schema schema, String path) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        int id = send("POST", path, body(schema)).path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException(200, -1, "Schema registry answered " + path + " without an id");
        }
        ids.put(key, id);
        schemas.putIfAbsent(id, schema);
        LOG.debug("Schema {} has id {} under subject {}", schema.getFullName(), id, subject);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemas.get(id);
        if (cached != null) {
            return cached;
        }
        String text = send("GET", "/schemas/ids/" + id, null).path("schema").asText(null);
        if (text == null) {
            throw new SchemaRegistryException(200, -1, "Schema registry answered schema id " + id + " without a schema");
        }
        Schema schema = new Schema.Parser().parse(text);
        Schema raced = schemas.putIfAbsent(id, schema);
        return raced == null ? schema : raced;
    }

    private static String body(Schema schema) {
        try {
            return JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new SchemaRegistryException("Cannot encode schema " + schema.getFullName(), e);
        }
    }

    /** Whether the registry is failing to answer right now (for readiness checks). */
    public Optional<Outage> outage() {
        return Optional.ofNullable(outage);
    }

    private JsonNode send(String method, String path, String body) {
        try {
            JsonNode answer = sendRetrying(method, path, body);
            outage = null;
            return answer;
        } catch (SchemaRegistryException e) {
            if (e.unavailable()) {
                Outage current = outage;
                outage = new Outage(current == null ? Instant.now() : current.since(), e.getMessage());
            } else {
                outage = null;
            }
            throw e;
        }
    }

    private JsonNode sendRetrying(String method, String path, String body) {
        for (int attempt = 1;; attempt++) {
            try {
                return sendOnce(method, path, body);
            } catch (SchemaRegistryException e) {
                if (!e.unavailable() || attempt >= RETRY.maxAttempts() || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                pause(RETRY.delay(attempt), e);
            }
        }
    }

    private static void pause(Duration delay, SchemaRegistryException failure) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private JsonNode sendOnce(String method, String path, String body) {
        IOException lastFailure = null;
        for (String base : baseUrls) {
            try {
                return answer(base, path, http.send(request(method, base + path, body), HttpResponse.BodyHandlers.ofString()));
            } catch (IOException e) {
                LOG.warn("Schema registry {} unreachable ({}); trying the next URL if any", base, e.toString());
                lastFailure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted calling schema registry " + base, e);
            }
        }
        throw new SchemaRegistryException("No schema registry reachable at " + baseUrls + " for " + method + " " + path, lastFailure);
    }

    private HttpRequest request(String method, String url, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).header("Accept", ACCEPT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            return request.GET().build();
        }
        return request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static JsonNode answer(String base, String path, HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode json = parse(response.body());
        if (status / 100 == 2) {
            if (json == null) {
                throw new SchemaRegistryException(status, -1, "Schema registry " + base + " answered " + path
                        + " with no JSON: " + abbreviate(response.body()));
            }
            return json;
        }
        // Proxies may answer with HTML; the abbreviated body is then the best message there is.
        int errorCode = json == null ? -1 : json.path("error_code").asInt(-1);
        String message = json == null ? abbreviate(response.body()) : json.path("message").asText(abbreviate(response.body()));
        throw new SchemaRegistryException(status, errorCode, "Schema registry " + base + " answered HTTP " + status
                + " to " + path + ": error_code " + errorCode + ", " + message + hint(status, errorCode));
    }

    /** What to do about the errors a caller can fix. */
    private static String hint(int status, int errorCode) {
        if (status == 401 || status == 403) {
            return " (check the registry credentials: basic.auth.user.info or bearer.auth.token)";
        }
        if (status == 409) {
            return " (the schema breaks the subject's compatibility level: change it as schemas/README.md describes)";
        }
        if (errorCode == SchemaRegistryException.SUBJECT_NOT_FOUND && status == 404) {
            return " (nothing is registered under that subject yet)";
        }
        return "";
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }

    /** Subjects are topic names plus a suffix, but may hold characters that are not path-safe. */
    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "ConfluentRestSchemaRegistryClient" + baseUrls;
    }
}
