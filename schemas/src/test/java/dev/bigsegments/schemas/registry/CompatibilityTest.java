package dev.bigsegments.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityTest {
    private static final Schema V1 = parse("[{\"name\": \"id\", \"type\": \"string\"}]");
    /** Drops nothing, adds a field with a default: every level accepts it after V1. */
    private static final Schema WITH_DEFAULT = parse("[{\"name\": \"id\", \"type\": \"string\"},"
            + " {\"name\": \"n\", \"type\": \"int\", \"default\": 0}]");
    /** Adds a field without a default: new readers cannot read V1 data, V1 readers can read new data. */
    private static final Schema WITHOUT_DEFAULT = parse("[{\"name\": \"id\", \"type\": \"string\"},"
            + " {\"name\": \"n\", \"type\": \"int\"}]");

    @Test
    void eachLevelChecksItsDirection() {
        var history = new TreeMap<>(Map.of(1, V1));

        assertThat(Compatibility.BACKWARD.problems(WITHOUT_DEFAULT, history)).singleElement().asString()
                .contains("cannot read data written with v1", "READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(Compatibility.FORWARD.problems(WITHOUT_DEFAULT, history)).isEmpty();
        assertThat(Compatibility.FULL.problems(WITHOUT_DEFAULT, history)).hasSize(1);
        assertThat(Compatibility.NONE.problems(WITHOUT_DEFAULT, history)).isEmpty();
        for (Compatibility level : Compatibility.values()) {
            assertThat(level.problems(WITH_DEFAULT, history)).as(level.name()).isEmpty();
        }
    }

    @Test
    void onlyTransitiveLevelsLookPastTheLatestVersion() {
        var history = new TreeMap<>(Map.of(1, V1, 2, WITH_DEFAULT));
        Schema dropsTheDefault = WITHOUT_DEFAULT;

        assertThat(Compatibility.BACKWARD.problems(dropsTheDefault, history)).isEmpty();
        assertThat(Compatibility.BACKWARD_TRANSITIVE.problems(dropsTheDefault, history)).singleElement().asString()
                .contains("v1");
    }

    @Test
    void levelsParseInAnyCaseAndAnUnknownOneIsTheRegistrysError() {
        assertThat(Compatibility.parse("full_transitive")).isEqualTo(Compatibility.FULL_TRANSITIVE);
        assertThatThrownBy(() -> Compatibility.parse("sideways"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Invalid compatibility level");
    }

    private static Schema parse(String fields) {
        return new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"R\", \"fields\": " + fields + "}");
    }
}
