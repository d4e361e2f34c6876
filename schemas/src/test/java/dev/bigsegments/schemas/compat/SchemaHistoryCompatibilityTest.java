package dev.bigsegments.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import dev.bigsegments.schemas.registry.Compatibility;
import org.apache.avro.Schema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every current schema stays BACKWARD_TRANSITIVE compatible with every version kept in avro-history. */
class SchemaHistoryCompatibilityTest {

    @TestFactory
    Stream<DynamicTest> eachCurrentSchemaReadsEveryEarlierVersion() throws IOException {
        return SchemaFiles.currentRecords().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            SortedMap<Integer, Schema> history = SchemaFiles.history(e.getKey());
            assertThat(history).as("src/main/avro-history/%s/v1.avsc must exist", e.getKey()).isNotEmpty();
            assertThat(incompatibilities(e.getKey(), e.getValue(), history))
                    .as("schema changes that break BACKWARD_TRANSITIVE compatibility").isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> eachHistoryIsNumberedFromOneAndEndsWithTheCurrentSchema() throws IOException {
        Map<String, Schema> current = SchemaFiles.currentRecords();
        return SchemaFiles.historyNames().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            assertThat(current).as("avro-history/%s has no current schema in src/main/avro", name).containsKey(name);
            SortedMap<Integer, Schema> history = SchemaFiles.history(name);
            assertThat(history.keySet()).as("versions of %s", name)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, history.size()).boxed().toList());
            assertThat(history.get(history.lastKey()))
                    .as("%s.avsc changed: add it, self-contained, as avro-history/%s/v%d.avsc", name, name, history.size() + 1)
                    .isEqualTo(current.get(name));
        }));
    }

    /** The checks below use in-test schemas, so they prove the check itself, whatever the history holds. */
    private static final Schema SAMPLE_V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Sample", "fields": [{"name": "id", "type": "string"}]}""");

    @Test
    void aNewFieldWithoutADefaultIsReportedNamingSchemaVersionAndField() {
        Schema withRequiredField = addField(SAMPLE_V1, "{\"name\": \"weight\", \"type\": \"int\"}");

        List<String> problems = incompatibilities("Sample", withRequiredField, new TreeMap<>(Map.of(1, SAMPLE_V1)));

        assertThat(problems).singleElement().asString()
                .contains("Sample", "v1", "READER_FIELD_MISSING_DEFAULT_VALUE", "weight");
    }

    @Test
    void aChangedFieldTypeIsReported() {
        Schema retyped = new Schema.Parser().parse(SAMPLE_V1.toString().replace("\"string\"", "\"int\""));

        assertThat(incompatibilities("Sample", retyped, new TreeMap<>(Map.of(1, SAMPLE_V1))))
                .singleElement().asString().contains("TYPE_MISMATCH", "/fields/0");
    }

    @Test
    void aNewFieldWithADefaultIsCompatible() {
        Schema withOptionalField = addField(SAMPLE_V1, "{\"name\": \"weight\", \"type\": \"int\", \"default\": 1}");

        assertThat(incompatibilities("Sample", withOptionalField, new TreeMap<>(Map.of(1, SAMPLE_V1)))).isEmpty();
    }

    @Test
    void anOlderVersionIsCheckedEvenWhenTheLatestIsCompatible() {
        Schema v2 = addField(SAMPLE_V1, "{\"name\": \"weight\", \"type\": \"int\", \"default\": 1}");
        Schema v3 = addField(SAMPLE_V1, "{\"name\": \"weight\", \"type\": \"int\"}");

        List<String> problems = incompatibilities("Sample", v3, new TreeMap<>(Map.of(1, SAMPLE_V1, 2, v2)));

        assertThat(problems).singleElement().asString().contains("v1").doesNotContain("v2");
    }

    /** The registry endpoint's own check, with each line naming the schema. */
    private static List<String> incompatibilities(String name, Schema current, SortedMap<Integer, Schema> history) {
        return Compatibility.BACKWARD_TRANSITIVE.problems(current, history).stream()
                .map(p -> name + ": current schema " + p).toList();
    }

    private static Schema addField(Schema record, String fieldJson) {
        String json = record.toString();
        return new Schema.Parser().parse(json.substring(0, json.lastIndexOf(']')) + "," + fieldJson + "]}");
    }
}
