package dev.bigsegments.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.schemas.registry.InProcessSchemaRegistry.SubjectVersion;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The Confluent Schema Registry REST API over an {@link InProcessSchemaRegistry}, free of any HTTP server: a
 * request's method, raw path, query and body in; a status and a JSON body out. Answers and errors have
 * Confluent's shapes ({@code {"error_code": 40401, "message": "Subject 'x' not found."}}), since its clients
 * read them. Only Avro schemas, without references, are accepted.
 */
final class RegistryRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBJECT = "/subjects/([^/]+)";
    private static final Pattern SUBJECTS = Pattern.compile("/subjects/?");
    private static final Pattern ONE_SUBJECT = Pattern.compile(SUBJECT);
    private static final Pattern VERSIONS = Pattern.compile(SUBJECT + "/versions/?");
    private static final Pattern VERSION = Pattern.compile(SUBJECT + "/versions/([^/]+)");
    private static final Pattern VERSION_SCHEMA = Pattern.compile(SUBJECT + "/versions/([^/]+)/schema");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/([^/]+)");
    private static final Pattern ID_VERSIONS = Pattern.compile("/schemas/ids/([^/]+)/versions");
    private static final Pattern COMPATIBILITY = Pattern.compile("/compatibility" + SUBJECT + "/versions/([^/]+)");
    private static final Pattern CONFIG = Pattern.compile("/config/?");
    private static final Pattern SUBJECT_CONFIG = Pattern.compile("/config/([^/]+)");

    private final InProcessSchemaRegistry registry;

    /** A status and the JSON body to send (a String is sent as it is). */
    record Answer(int status, Object body) {
        static Answer error(int status, int errorCode, String message) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error_code", errorCode);
            body.put("message", message);
            return new Answer(status, body);
        }
    }

    /** A request that can never succeed, whatever the registry holds. */
    private static final class BadRequest extends RuntimeException {
        private final Answer answer;

        BadRequest(int status, int errorCode, String message) {
            super(message);
            this.answer = Answer.error(status, errorCode, message);
        }
    }

    RegistryRoutes(InProcessSchemaRegistry registry) {
        this.registry = registry;
    }

    Answer handle(String method, String rawPath, Map<String, String> query, String body) {
        try {
            Answer answer = route(method, rawPath, query, body);
            return answer != null ? answer : Answer.error(404, 404, "HTTP 404 Not Found");
        } catch (BadRequest e) {
            return e.answer;
        } catch (SchemaRegistryException e) {
            return Answer.error(e.httpStatus(), e.errorCode(), e.getMessage());
        }
    }

    private Answer route(String method, String path, Map<String, String> query, String body) {
        Matcher m;
        if (path.equals("/") || path.isEmpty()) {
            return only("GET", method, () -> new Answer(200, Map.of()));
        } else if (SUBJECTS.matcher(path).matches()) {
            return only("GET", method, () -> new Answer(200, registry.subjects()));
        } else if ((m = ONE_SUBJECT.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            return only("POST", method, () -> new Answer(200, view(registry.lookupVersion(subject, schemaOf(body)))));
        } else if ((m = VERSIONS.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            return "GET".equals(method) ? new Answer(200, registry.versions(subject))
                    : only("POST", method, () -> new Answer(200, Map.of("id", registry.register(subject, schemaOf(body)))));
        } else if ((m = VERSION.matcher(path)).matches()) {
            SubjectVersion v = registryVersion(m);
            return only("GET", method, () -> new Answer(200, view(v)));
        } else if ((m = VERSION_SCHEMA.matcher(path)).matches()) {
            SubjectVersion v = registryVersion(m);
            return only("GET", method, () -> new Answer(200, v.schema().toString()));
        } else if ((m = BY_ID.matcher(path)).matches()) {
            int id = id(m.group(1));
            return only("GET", method, () -> new Answer(200, Map.of("schema", registry.getById(id).toString())));
        } else if ((m = ID_VERSIONS.matcher(path)).matches()) {
            int id = id(m.group(1));
            return only("GET", method, () -> new Answer(200, registry.versionsOf(id).stream()
                    .map(v -> Map.of("subject", v.subject(), "version", v.version())).toList()));
        } else if ((m = COMPATIBILITY.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            Optional<Integer> version = version(decode(m.group(2)));
            return only("POST", method, () -> compatibility(subject, version, body, query));
        } else if (CONFIG.matcher(path).matches()) {
            return config(method, null, query, body);
        } else if ((m = SUBJECT_CONFIG.matcher(path)).matches()) {
            return config(method, decode(m.group(1)), query, body);
        }
        return null;
    }

    private SubjectVersion registryVersion(Matcher m) {
        return registry.version(decode(m.group(1)), version(decode(m.group(2))));
    }

    private Answer compatibility(String subject, Optional<Integer> version, String body, Map<String, String> query) {
        List<String> problems = registry.problems(subject, version, schemaOf(body));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("is_compatible", problems.isEmpty());
        if ("true".equals(query.get("verbose"))) {
            answer.put("messages", problems);
        }
        return new Answer(200, answer);
    }

    private Answer config(String method, String subject, Map<String, String> query, String body) {
        if ("PUT".equals(method)) {
            Compatibility level = level(body);
            if (subject == null) {
                registry.setCompatibility(level);
            } else {
                registry.setCompatibility(subject, level);
            }
            return new Answer(200, Map.of("compatibility", level.name()));
        }
        return only("GET", method, () -> {
            Optional<Compatibility> own = subject == null ? Optional.of(registry.compatibility())
                    : registry.subjectCompatibility(subject);
            if (own.isEmpty() && "true".equals(query.get("defaultToGlobal"))) {
                own = Optional.of(registry.compatibility());
            }
            return own.map(level -> new Answer(200, Map.of("compatibilityLevel", level.name())))
                    .orElseGet(() -> Answer.error(404, SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                            "Subject '" + subject + "' does not have subject-level compatibility configured"));
        });
    }

    private static Compatibility level(String body) {
        String name = json(body).path("compatibility").asText("");
        try {
            return Compatibility.parse(name);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, e.getMessage());
        }
    }

    private static Map<String, Object> view(SubjectVersion v) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("subject", v.subject());
        view.put("version", v.version());
        view.put("id", v.id());
        view.put("schema", v.schema().toString());
        return view;
    }

    private static Answer only(String allowed, String method, java.util.function.Supplier<Answer> answer) {
        return allowed.equals(method) ? answer.get() : Answer.error(405, 405, "HTTP 405 Method Not Allowed");
    }

    /** The Avro schema of a register, lookup or compatibility request. */
    private static Schema schemaOf(String body) {
        JsonNode request = json(body);
        String type = request.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw invalidSchema("Invalid schema type " + type + ": this registry holds Avro schemas only");
        }
        if (request.path("references").size() > 0) {
            throw invalidSchema("Schema references are not supported: send the schema with every named type"
                    + " written inline at its first use");
        }
        JsonNode text = request.get("schema");
        if (text == null || !text.isTextual()) {
            throw invalidSchema("Invalid schema: the request has no \"schema\" string");
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException | IllegalArgumentException e) {
            throw invalidSchema("Invalid schema: " + e.getMessage());
        }
    }

    private static BadRequest invalidSchema(String message) {
        return new BadRequest(422, SchemaRegistryException.INVALID_SCHEMA, message);
    }

    private static JsonNode json(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new BadRequest(400, 400, "The request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRequest(400, 400, "The request body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** A version number, or empty for the latest ("latest" or -1, as Confluent's API allows). */
    private static Optional<Integer> version(String text) {
        if (text.equals("latest") || text.equals("-1")) {
            return Optional.empty();
        }
        try {
            int version = Integer.parseInt(text);
            if (version > 0) {
                return Optional.of(version);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequest(422, SchemaRegistryException.INVALID_VERSION, "The specified version '" + text
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static int id(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + text + " not found");
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
