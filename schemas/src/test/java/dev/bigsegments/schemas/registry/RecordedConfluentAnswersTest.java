package dev.bigsegments.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The REST client reading a Confluent Schema Registry's own answers (src/test/resources/confluent-answers,
 * whose README says where they come from): each success gives its id or schema, each error the kind and code
 * a caller acts on, and only an unavailable registry is asked again.
 */
class RecordedConfluentAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = Schema.create(Schema.Type.STRING);

    private StubConfluentRegistry registry;

    @BeforeEach
    void start() throws IOException {
        registry = new StubConfluentRegistry();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @TestFactory
    Stream<DynamicTest> eachAnswerIsReadAsTheRegistryMeantIt() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode answer : answers()) {
            tests.add(DynamicTest.dynamicTest(answer.path("name").asText(), () -> replay(answer)));
        }
        return tests.stream();
    }

    private void replay(JsonNode answer) throws IOException {
        int attempts = ConfluentRestSchemaRegistryClient.RETRY.maxAttempts();
        registry.answerWith(answer.path("status").asInt(), JSON.writeValueAsString(answer.path("body")), attempts);
        int before = registry.requests().size();
        var client = new ConfluentRestSchemaRegistryClient(new RegistryConfig(registry.url(), null, null, true));
        String call = answer.path("call").asText();
        JsonNode expect = answer.path("expect");
        ThrowingCallable request = () -> invoke(client, call);
        if (expect.has("kind")) {
            assertThatThrownBy(request).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                assertThat(e.kind()).hasToString(expect.path("kind").asText());
                assertThat(e.errorCode()).isEqualTo(expect.path("errorCode").asInt());
                assertThat(e.getMessage()).contains(answer.path("body").path("message").asText());
            });
        } else if (expect.has("id")) {
            assertThat(call.equals("register") ? client.register("test-value", SCHEMA) : client.lookup("test-value", SCHEMA))
                    .isEqualTo(expect.path("id").asInt());
        } else {
            assertThat(client.getById(1)).isEqualTo(new Schema.Parser().parse(expect.path("schema").asText()));
        }
        assertThat(registry.requests().size() - before).as("requests sent")
                .isEqualTo(expect.path("retried").asBoolean() ? attempts : 1);
    }

    private static Object invoke(ConfluentRestSchemaRegistryClient client, String call) {
        return switch (call) {
            case "register" -> client.register("test-value", SCHEMA);
            case "lookup" -> client.lookup("test-value", SCHEMA);
            default -> client.getById(42);
        };
    }

    private static JsonNode answers() throws IOException {
        try (InputStream in = RecordedConfluentAnswersTest.class.getResourceAsStream("/confluent-answers/answers.json")) {
            return JSON.readTree(in);
        }
    }
}
