package dev.bigsegments.ingest.synced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorValidatorTest {
    private static final String ARRAYS = "\"addMemberArrayPath\":\"/add\",\"removeMemberArrayPath\":\"/remove\"";
    private static final String BOOLEAN_PARSER = "\"memberArrayParser\":{\"memberIdPath\":\"/id\",\"booleanMembershipPath\":\"/value\"}";

    @TempDir
    Path dir;

    @Test
    void theTenShippedDescriptorsLoadFromTheClasspath() {
        Map<String, IntegrationDescriptor> loaded = DescriptorLoader.fromClasspath(getClass().getClassLoader());
        assertThat(loaded).containsOnlyKeys("amplitude", "segment-audiences", "census-synced-segments",
                "rudderstack", "heap-inbound", "fulcrum", "sumatra-synced-segments", "hightouch",
                "tealium-synced-segments", "zeotap");
        assertThat(loaded.get("heap-inbound").jsonResponseBody()).isTrue();
        assertThat(loaded.get("amplitude").jsonResponseBody()).isFalse();
    }

    @Test
    void anEleventhToolIsOneMoreFile() throws Exception {
        write("acme-cohorts", "\"memberArrayPath\":\"/m\"," + BOOLEAN_PARSER);
        assertThat(DescriptorLoader.fromDirectory(dir)).containsOnlyKeys("acme-cohorts");
    }

    @Test
    void addWithoutRemoveIsRefusedNamingTheFileAndTheRule() throws Exception {
        write("half", "\"addMemberArrayPath\":\"/add\",\"memberArrayParser\":{\"memberIdPath\":\"/id\"}");
        assertRefused("half.json", DescriptorValidator.RULE_BOTH_ARRAYS);
    }

    @Test
    void addAndRemoveArraysCannotBeCombinedWithAMemberArray() throws Exception {
        write("both", ARRAYS + ",\"memberArrayPath\":\"/m\"," + BOOLEAN_PARSER);
        assertRefused("both.json", DescriptorValidator.RULE_ARRAYS_EXCLUSIVE);
    }

    @Test
    void arrayInclusionNeedsAMemberArray() throws Exception {
        write("inclusion", ARRAYS + ",\"arrayInclusion\":{\"path\":\"/action\",\"matcher\":\"^add$\"},"
                + "\"memberArrayParser\":{\"memberIdPath\":\"/id\"}");
        assertRefused("inclusion.json", DescriptorValidator.RULE_INCLUSION_NEEDS_ARRAY);
    }

    @Test
    void booleanMembershipNeedsAMemberArray() throws Exception {
        write("flags", ARRAYS + "," + BOOLEAN_PARSER);
        assertRefused("flags.json", DescriptorValidator.RULE_BOOLEAN_NEEDS_ARRAY);
    }

    @Test
    void aMemberArrayNeedsExactlyOneWayToTellAddFromRemove() throws Exception {
        write("neither", "\"memberArrayPath\":\"/m\",\"memberArrayParser\":{\"memberIdPath\":\"/id\"}");
        assertRefused("neither.json", DescriptorValidator.RULE_ONE_ENCODING);
    }

    @Test
    void requiredPointersAndValidRegexesAreChecked() throws Exception {
        Files.writeString(dir.resolve("noenv.json"), "{\"capabilities\":{\"syncedSegment\":{\"requestParser\":"
                + "{\"cohortIdPath\":\"/c\",\"cohortNamePath\":\"/n\",\"memberArrayPath\":\"/m\"," + BOOLEAN_PARSER
                + "}}}}");
        assertRefused("noenv.json", "environmentIdPath is required");
        Files.delete(dir.resolve("noenv.json"));
        write("regex", "\"memberArrayPath\":\"/m\",\"arrayInclusion\":{\"path\":\"/a\",\"matcher\":\"(\"},"
                + "\"memberArrayParser\":{\"memberIdPath\":\"/id\"}");
        assertRefused("regex.json", "arrayInclusion.matcher is not a valid regular expression");
        Files.delete(dir.resolve("regex.json"));
        write("pointer", "\"memberArrayPath\":\"m\"," + BOOLEAN_PARSER);
        assertRefused("pointer.json", "memberArrayPath must be a JSON Pointer");
    }

    private void write(String key, String members) throws Exception {
        Files.writeString(dir.resolve(key + ".json"), "{\"capabilities\":{\"syncedSegment\":{\"requestParser\":{"
                + "\"environmentIdPath\":\"/env\",\"cohortIdPath\":\"/c\",\"cohortNamePath\":\"/n\"," + members
                + "}}}}");
    }

    private void assertRefused(String file, String rule) {
        assertThatThrownBy(() -> DescriptorLoader.fromDirectory(dir)).isInstanceOf(InvalidDescriptorException.class)
                .hasMessageContaining(file).hasMessageContaining(rule);
    }
}
