package dev.bigsegments.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfluentRestSchemaRegistryClientTest {
    private static final Schema STATE = MembershipState.getClassSchema();

    private StubConfluentRegistry stub;

    @BeforeEach
    void startStub() throws IOException {
        stub = new StubConfluentRegistry();
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    private ConfluentRestSchemaRegistryClient client(String basicAuth, String bearer) {
        return new ConfluentRestSchemaRegistryClient(new RegistryConfig(stub.url(), basicAuth, bearer, true));
    }

    @Test
    void registerPostsTheSchemaJsonAndReturnsTheServedId() throws IOException {
        int id = client(null, null).register("bigsegments.membership-value", STATE);

        assertThat(id).isEqualTo(1);
        StubConfluentRegistry.Request sent = stub.requests().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.rawPath()).isEqualTo("/subjects/bigsegments.membership-value/versions");
        assertThat(sent.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(new Schema.Parser().parse(new ObjectMapper().readTree(sent.body()).get("schema").asText())).isEqualTo(STATE);
    }

    @Test
    void registeringTheSameSchemaAgainIsAnsweredFromTheCache() {
        ConfluentRestSchemaRegistryClient client = client(null, null);
        int first = client.register("s-value", STATE);
        int second = client.register("s-value", STATE);
        int other = client.register("s-value", SegmentDefinition.getClassSchema());

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void getByIdParsesTheServedSchemaOnceAndThenUsesTheCache() {
        int id = client(null, null).register("s-value", STATE);
        ConfluentRestSchemaRegistryClient reader = client(null, null);

        assertThat(reader.getById(id)).isEqualTo(STATE);
        assertThat(reader.getById(id)).isEqualTo(STATE);
        assertThat(stub.requests()).extracting(StubConfluentRegistry.Request::rawPath)
                .containsExactly("/subjects/s-value/versions", "/schemas/ids/" + id);
    }

    @Test
    void anUnknownIdFailsWithTheRegistrysErrorCodeAndMessage() {
        assertThatThrownBy(() -> client(null, null).getById(42))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                })
                .hasMessageContaining("40403").hasMessageContaining("Schema not found").hasMessageContaining("/schemas/ids/42");
    }

    @Test
    void lookupFindsARegisteredSchemaAndReportsAnUnknownSubject() {
        ConfluentRestSchemaRegistryClient client = client(null, null);
        assertThatThrownBy(() -> client.lookup("s-value", STATE))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));

        int id = client(null, null).register("s-value", STATE);

        assertThat(client.lookup("s-value", STATE)).isEqualTo(id);
        assertThat(stub.requests().get(2).rawPath()).isEqualTo("/subjects/s-value");
        assertThatThrownBy(() -> client.lookup("s-value", SegmentDefinition.getClassSchema()))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }

    @Test
    void basicAuthSendsTheEncodedUserInfo() {
        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
        stub.requireAuthorization(expected);

        client("alice:s3cret", null).register("s-value", STATE);

        assertThat(stub.requests()).extracting(StubConfluentRegistry.Request::authorization).containsExactly(expected);
    }

    @Test
    void bearerAuthSendsTheToken() {
        stub.requireAuthorization("Bearer tok-123");

        client(null, "tok-123").getById(client(null, "tok-123").register("s-value", STATE));

        assertThat(stub.requests()).extracting(StubConfluentRegistry.Request::authorization).containsOnly("Bearer tok-123");
    }

    @Test
    void wrongCredentialsFailWithTheRegistrysAnswer() {
        stub.requireAuthorization("Bearer right");

        assertThatThrownBy(() -> client(null, "wrong").register("s-value", STATE))
                .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("HTTP 401").hasMessageContaining("Unauthorized");
    }

    @Test
    void noAuthorizationHeaderIsSentWithoutCredentials() {
        client(null, null).register("s-value", STATE);

        assertThat(stub.requests().get(0).authorization()).isNull();
    }

    @Test
    void subjectsAreUrlEncodedInThePath() {
        client(null, null).register("odd topic/name-value", STATE);

        assertThat(stub.requests().get(0).rawPath()).isEqualTo("/subjects/odd%20topic%2Fname-value/versions");
    }

    @Test
    void aNonJsonErrorBodyIsQuotedInTheException() {
        stub.answerWith(502, "<html>Bad Gateway</html>", ConfluentRestSchemaRegistryClient.RETRY.maxAttempts());

        assertThatThrownBy(() -> client(null, null).register("s-value", STATE))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(502))
                .hasMessageContaining("<html>Bad Gateway</html>");
    }

    @Test
    void aRegistryThatFailsOnceIsAskedAgainAndTheCallSucceeds() {
        stub.answerNextWith(503, "{\"error_code\":50003,\"message\":\"Error while forwarding register schema request to the leader\"}");

        assertThat(client(null, null).register("s-value", STATE)).isEqualTo(1);
        assertThat(stub.requests()).extracting(StubConfluentRegistry.Request::rawPath)
                .containsExactly("/subjects/s-value/versions", "/subjects/s-value/versions");
    }

    @Test
    void aRegistryThatStaysDownFailsAsUnavailableAfterAFewAttemptsWithinSeconds() {
        stub.answerWith(500, "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}", 100);
        long start = System.nanoTime();

        assertThatThrownBy(() -> client(null, null).register("s-value", STATE))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.STORE_ERROR);
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(stub.requests()).hasSize(ConfluentRestSchemaRegistryClient.RETRY.maxAttempts());
    }

    @Test
    void anErrorAnswerIsFinalAndAskedOnce() {
        assertThatThrownBy(() -> client(null, null).getById(7))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND));
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void normalizeAsksTheRegistryToNormalizeOnRegisterAndLookup() {
        RegistryConfig config = RegistryConfig.fromMap(Map.of(RegistryConfig.URL, stub.url(), RegistryConfig.NORMALIZE, "true"));
        new ConfluentRestSchemaRegistryClient(config).register("s-value", STATE);
        new ConfluentRestSchemaRegistryClient(config).lookup("s-value", STATE);

        assertThat(stub.requests()).extracting(StubConfluentRegistry.Request::rawQuery)
                .containsExactly("normalize=true", "normalize=true");
    }

    @Test
    void theNextUrlIsTriedWhenOneIsUnreachable() throws IOException {
        String dead = "http://127.0.0.1:" + closedPort();
        var client = new ConfluentRestSchemaRegistryClient(new RegistryConfig(dead + ", " + stub.url(), null, null, true));

        assertThat(client.register("s-value", STATE)).isEqualTo(1);
    }

    @Test
    void noReachableUrlFailsNamingTheUrls() throws IOException {
        String dead = "http://127.0.0.1:" + closedPort();
        var client = new ConfluentRestSchemaRegistryClient(new RegistryConfig(dead, null, null, true));

        assertThatThrownBy(() -> client.getById(1))
                .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("No schema registry reachable").hasMessageContaining(dead);
    }

    @Test
    void clientsAreChosenByUrlScheme() {
        assertThat(SchemaRegistryClients.create(new RegistryConfig("mock://pick", null, null, true)))
                .isSameAs(InProcessSchemaRegistry.scope("pick"));
        assertThat(SchemaRegistryClients.create(new RegistryConfig(stub.url(), null, null, true)))
                .isInstanceOf(ConfluentRestSchemaRegistryClient.class);
        assertThatThrownBy(() -> SchemaRegistryClients.create(new RegistryConfig("ftp://x", null, null, true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://x");
        InProcessSchemaRegistry.dropScope("pick");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
