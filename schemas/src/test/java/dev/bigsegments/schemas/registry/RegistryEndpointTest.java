package dev.bigsegments.schemas.registry;

import static dev.bigsegments.schemas.registry.SampleSchemas.REQUIRED_WEIGHT;
import static dev.bigsegments.schemas.registry.SampleSchemas.V1;
import static dev.bigsegments.schemas.registry.SampleSchemas.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Confluent REST API served from an in-process registry, checked on the wire and with the project's client. */
class RegistryEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String scope = "endpoint-" + UUID.randomUUID();
    private final HttpClient http = HttpClient.newHttpClient();
    private InProcessSchemaRegistry registry;
    private RegistryEndpoint endpoint;

    @BeforeEach
    void start() throws IOException {
        registry = InProcessSchemaRegistry.scope(scope);
        endpoint = RegistryEndpoint.start(registry, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null,
                header -> true);
    }

    @AfterEach
    void stop() {
        endpoint.close();
        InProcessSchemaRegistry.dropScope(scope);
    }

    private String url() {
        return "http://127.0.0.1:" + endpoint.port();
    }

    private ConfluentRestSchemaRegistryClient client() {
        return new ConfluentRestSchemaRegistryClient(new RegistryConfig(url(), null, null, true));
    }

    @Test
    void idsGivenOverHttpAreTheIdsOfTheServicesInTheProcess() {
        int inProcess = registry.register("bigsegments.commands-value", SegmentCommand.getClassSchema());

        assertThat(client().register("bigsegments.commands-value", SegmentCommand.getClassSchema())).isEqualTo(inProcess);
        assertThat(client().lookup("bigsegments.commands-value", SegmentCommand.getClassSchema())).isEqualTo(inProcess);
        int external = client().register("other-value", MembershipState.getClassSchema());
        assertThat(registry.getById(external)).isEqualTo(MembershipState.getClassSchema());
        assertThat(client().getById(inProcess)).isEqualTo(SegmentCommand.getClassSchema());
    }

    @Test
    void subjectsVersionsAndIdsAreServedInConfluentsShapes() throws Exception {
        int first = registry.register("s-value", V1);
        int second = registry.register("s-value", V2);

        assertThat(get("/subjects")).isEqualTo(json("[\"s-value\"]"));
        assertThat(get("/subjects/s-value/versions")).isEqualTo(json("[1,2]"));
        assertThat(get("/subjects/s-value/versions/latest")).isEqualTo(JSON.valueToTree(Map.of(
                "subject", "s-value", "version", 2, "id", second, "schema", V2.toString())));
        assertThat(get("/subjects/s-value/versions/1").path("id").asInt()).isEqualTo(first);
        assertThat(new Schema.Parser().parse(send("GET", "/subjects/s-value/versions/1/schema", null).body())).isEqualTo(V1);
        assertThat(get("/schemas/ids/" + first)).isEqualTo(JSON.valueToTree(Map.of("schema", V1.toString())));
        assertThat(get("/schemas/ids/" + first + "/versions")).isEqualTo(json("[{\"subject\":\"s-value\",\"version\":1}]"));
        assertThat(post("/subjects/s-value", V2).body()).isEqualTo(get("/subjects/s-value/versions/2").toString());
    }

    @Test
    void errorsCarryConfluentsStatusCodeAndMessage() throws Exception {
        registry.register("s-value", V1);

        assertError(send("GET", "/subjects/nope/versions", null), 404, 40401, "Subject 'nope' not found.");
        assertError(send("GET", "/subjects/s-value/versions/7", null), 404, 40402, "Version 7 not found.");
        assertError(send("GET", "/schemas/ids/12345", null), 404, 40403, "Schema 12345 not found");
        assertError(post("/subjects/s-value", V2), 404, 40403, "Schema not found");
        assertError(send("GET", "/subjects/s-value/versions/0", null), 422, 42202,
                "The specified version '0' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        assertError(send("POST", "/subjects/s-value/versions", "{\"schema\":\"{\\\"type\\\":\\\"nonsense\\\"}\"}"), 422, 42201,
                "Invalid schema: ");
        assertError(send("POST", "/subjects/s-value/versions", "{\"schema\":\"\\\"string\\\"\",\"schemaType\":\"PROTOBUF\"}"),
                422, 42201, "Invalid schema type PROTOBUF");
        assertError(send("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203, "Invalid compatibility level.");
        assertError(send("POST", "/subjects/s-value/versions", "not json"), 400, 400, "The request body is not JSON");
        assertError(send("DELETE", "/subjects", null), 405, 405, "HTTP 405 Method Not Allowed");
        assertError(send("GET", "/mode", null), 404, 404, "HTTP 404 Not Found");
    }

    @Test
    void anIncompatibleSchemaIsA409AndTheCompatibilityEndpointSaysWhy() throws Exception {
        registry.register("s-value", V1);
        registry.register("s-value", V2);

        HttpResponse<String> refused = post("/subjects/s-value/versions", REQUIRED_WEIGHT);
        assertError(refused, 409, 409, "Schema being registered is incompatible with an earlier schema for subject \"s-value\"");
        assertThat(post("/compatibility/subjects/s-value/versions/latest?verbose=true", REQUIRED_WEIGHT).body())
                .contains("\"is_compatible\":false").contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(JSON.readTree(post("/compatibility/subjects/s-value/versions/2", REQUIRED_WEIGHT).body()))
                .isEqualTo(json("{\"is_compatible\":true}"));
        assertThat(JSON.readTree(post("/compatibility/subjects/new-value/versions/latest", REQUIRED_WEIGHT).body()))
                .isEqualTo(json("{\"is_compatible\":true}"));
        assertThatThrownBy(() -> client().register("s-value", REQUIRED_WEIGHT))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE))
                .hasMessageContaining("compatibility level");
    }

    @Test
    void compatibilityIsBackwardTransitiveUnlessConfiguredPerSubjectOrGlobally() throws Exception {
        assertThat(get("/config")).isEqualTo(json("{\"compatibilityLevel\":\"BACKWARD_TRANSITIVE\"}"));
        assertError(send("GET", "/config/s-value", null), 404, 40408,
                "Subject 's-value' does not have subject-level compatibility configured");
        assertThat(get("/config/s-value?defaultToGlobal=true")).isEqualTo(json("{\"compatibilityLevel\":\"BACKWARD_TRANSITIVE\"}"));

        assertThat(send("PUT", "/config/s-value", "{\"compatibility\":\"none\"}").body()).isEqualTo("{\"compatibility\":\"NONE\"}");
        assertThat(get("/config/s-value")).isEqualTo(json("{\"compatibilityLevel\":\"NONE\"}"));
        registry.register("s-value", V1);
        assertThat(post("/subjects/s-value/versions", REQUIRED_WEIGHT).statusCode()).isEqualTo(200);

        send("PUT", "/config", "{\"compatibility\":\"FULL\"}");
        assertThat(registry.compatibility("t-value")).isEqualTo(Compatibility.FULL);
    }

    @Test
    void requestsWithoutTheRightAuthorizationAre401AndTheClientSaysWhatToCheck() throws IOException {
        try (RegistryEndpoint guarded = RegistryEndpoint.start(registry,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, "Bearer s3cret"::equals)) {
            String guardedUrl = "http://127.0.0.1:" + guarded.port();
            var allowed = new ConfluentRestSchemaRegistryClient(new RegistryConfig(guardedUrl, null, "s3cret", true));
            var refused = new ConfluentRestSchemaRegistryClient(new RegistryConfig(guardedUrl, null, "wrong", true));

            assertThat(allowed.register("s-value", V1)).isEqualTo(registry.lookup("s-value", V1));
            assertThatThrownBy(() -> refused.getById(registry.lookup("s-value", V1)))
                    .isInstanceOfSatisfying(SchemaRegistryException.class,
                            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_AUTHORIZED))
                    .hasMessageContaining("bearer.auth.token");
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        String huge = "{\"schema\":\"" + "x".repeat(RegistryEndpoint.MAX_REQUEST_BYTES) + "\"}";

        assertError(send("POST", "/subjects/s-value/versions", huge), 413, 413,
                "The request body is larger than " + RegistryEndpoint.MAX_REQUEST_BYTES + " bytes");
        assertThat(registry.subjects()).isEmpty();
    }

    private static void assertError(HttpResponse<String> response, int status, int errorCode, String messageStart)
            throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error_code").asInt()).isEqualTo(errorCode);
        assertThat(body.path("message").asText()).startsWith(messageStart);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/vnd.schemaregistry.v1+json");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String path, Schema schema) throws Exception {
        return send("POST", path, JSON.writeValueAsString(Map.of("schema", schema.toString())));
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }
}
