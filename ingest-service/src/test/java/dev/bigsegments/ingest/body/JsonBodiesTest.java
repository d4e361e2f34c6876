package dev.bigsegments.ingest.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.ingest.errors.InvalidRequest;
import dev.bigsegments.ingest.errors.LimitExceeded;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BodyLimit LIMIT = new BodyLimit(10_000, "test.max-body-bytes");

    static {
        new JsonLimits(8, 100, 10).applyTo(JSON);
    }

    record Inner(List<String> add) {
    }

    record Body(String key, Boolean flag, Integer count, Inner inner) {
    }

    @Test
    void aValidBodyIsReadAndAnEmptyOneIsNull() {
        assertThat(read("{\"key\":\"k\",\"flag\":true,\"count\":3,\"inner\":{\"add\":[\"a\"]}}"))
                .isEqualTo(new Body("k", true, 3, new Inner(List.of("a"))));
        assertThat(read("")).isNull();
    }

    @Test
    void aWrongTypeIsNamedByItsPointerAndNeverCoerced() {
        assertRefused("{\"key\":12}", "/key must be a string (line 1, column 8, at /key)");
        assertRefused("{\"key\":true}", "/key must be a string (line 1, column 8, at /key)");
        assertRefused("{\"flag\":\"true\"}", "/flag must be true or false (line 1, column 9, at /flag)");
        assertRefused("{\"flag\":1}", "/flag must be true or false (line 1, column 9, at /flag)");
        assertRefused("{\"count\":1.5}", "/count must be an integer (line 1, column 10, at /count)");
        assertRefused("{\"count\":\"2\"}", "/count must be an integer (line 1, column 10, at /count)");
        assertRefused("{\"inner\":{\"add\":\"a\"}}", "/inner/add must be an array (line 1, column 17, at /inner/add)");
        assertRefused("{\"inner\":{\"add\":[7]}}", "/inner/add/0 must be a string (line 1, column 18, at /inner/add/0)");
        assertRefused("{\"inner\":[]}", "/inner must be an object (line 1, column 10, at /inner)");
        assertRefused("[]", "the body must be an object (line 1, column 1)");
    }

    @Test
    void malformedJsonIsRefusedWithItsLocation() {
        assertRefusedStartingWith("{\"key\":", "the body is not valid JSON: Unexpected end-of-input");
        assertRefusedStartingWith("{\"key\":\"k\"} {}", "the body is not valid JSON: content after the JSON value");
        InputStream notUtf8 = new ByteArrayInputStream(new byte[] {'{', '"', 'k', 'e', 'y', '"', ':', '"', (byte) 0xc3,
                '(', '"', '}'});
        assertThatThrownBy(() -> JsonBodies.readValue(JSON, notUtf8, LIMIT, Body.class))
                .isInstanceOf(InvalidRequest.class).hasMessage("the body is not valid UTF-8 (byte 8)");
        // The parser alone would take this one: a byte that is not UTF-8 in a field name.
        InputStream inAName = new ByteArrayInputStream(new byte[] {'{', '"', 'k', (byte) 0xff, 'y', '"', ':', '1', '}'});
        assertThatThrownBy(() -> JsonBodies.readValue(JSON, inAName, LIMIT, Body.class))
                .isInstanceOf(InvalidRequest.class).hasMessage("the body is not valid UTF-8 (byte 3)");
    }

    @Test
    void theJsonLimitsAreNamedWithTheirSettings() {
        assertThatThrownBy(() -> JsonBodies.readValue(JSON, new ByteArrayInputStream(
                "{\"a\":[[[[[[[[[[]]]]]]]]]]}".getBytes(StandardCharsets.UTF_8)), LIMIT, JsonNode.class))
                .isInstanceOf(InvalidRequest.class).hasMessage("the JSON nests deeper than "
                        + "bigsegments.ingest.json.max-nesting-depth (8) (line 1, column 14, at /a/0/0/0/0/0/0/0)");
        assertRefusedStartingWith("{\"key\":\"" + "k".repeat(101) + "\"}",
                "a JSON string is longer than bigsegments.ingest.json.max-string-length (100 characters)");
        assertRefusedStartingWith("{\"count\":12345678901}",
                "a JSON number is longer than bigsegments.ingest.json.max-number-length (10 characters)");
    }

    @Test
    void aBodyPastItsLimitIsRefusedWhileItStreamsNamingTheSetting() {
        // An endless body: only the limit can end the read.
        byte[] start = "{\"inner\":{\"add\":[".getBytes(StandardCharsets.UTF_8);
        byte[] element = "\"a\",".getBytes(StandardCharsets.UTF_8);
        InputStream endless = new InputStream() {
            private long position;

            @Override
            public int read() {
                long p = position++;
                return p < start.length ? start[(int) p] : element[(int) ((p - start.length) % element.length)];
            }
        };
        assertThatThrownBy(() -> JsonBodies.readValue(JSON, endless, LIMIT, Body.class))
                .isInstanceOf(LimitExceeded.class)
                .hasMessage("the body exceeds the limit of 10000 bytes (test.max-body-bytes)");
    }

    private static Body read(String body) {
        return JsonBodies.readValue(JSON, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), LIMIT,
                Body.class);
    }

    private static void assertRefused(String body, String message) {
        assertThatThrownBy(() -> read(body)).isInstanceOf(InvalidRequest.class).hasMessage(message);
    }

    private static void assertRefusedStartingWith(String body, String message) {
        assertThatThrownBy(() -> read(body)).isInstanceOf(InvalidRequest.class).hasMessageStartingWith(message);
    }
}
