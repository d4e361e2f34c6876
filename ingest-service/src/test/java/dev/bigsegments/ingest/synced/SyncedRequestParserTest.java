package dev.bigsegments.ingest.synced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.ingest.synced.SyncedRequest.CohortChanges;
import dev.bigsegments.schemas.ContextHashes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncedRequestParserTest {
    private static final Map<String, IntegrationDescriptor> TOOLS =
            DescriptorLoader.fromClasspath(SyncedRequestParserTest.class.getClassLoader());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void amplitudeMembersWithTheirOwnCohortUpdateSeveralCohortsInOrder() throws Exception {
        SyncedRequest r = parse("amplitude", """
                {"environmentId":"env","batch":[
                  {"cohortId":"c1","cohortName":"One","userId":"ü-1","value":true},
                  {"cohortId":"c2","cohortName":"Two","userId":"u2","value":true},
                  {"cohortId":"c1","cohortName":"One","userId":"u3","value":false}]}""");
        assertThat(r.environmentId()).isEqualTo("env");
        assertThat(r.contextKind()).isEqualTo("user");
        assertThat(r.cohorts()).extracting(CohortChanges::cohortId).containsExactly("c1", "c2");
        CohortChanges first = r.cohorts().get(0);
        assertThat(first.cohortName()).isEqualTo("One");
        assertThat(first.members()).extracting(m -> ContextHashes.encode(m.digest()) + ":" + m.add())
                .containsExactly(ContextHashes.hash("ü-1") + ":true", ContextHashes.hash("u3") + ":false");
    }

    @Test
    void anEmptyMemberIdIsRefusedWithItsIndexNotSkipped() {
        assertRefused("amplitude", """
                {"environmentId":"env","batch":[{"cohortId":"c","userId":"a","value":true},
                  {"cohortId":"c","userId":"","value":true}]}""", "/batch/1/userId must be a non-empty context key");
        assertRefused("rudderstack", """
                {"environmentId":"env","cohortId":"c","cohortName":"n","listData":{"add":[{"id":"x"}],"remove":[{}]}}""",
                "/listData/remove/0/id must be a non-empty context key");
    }

    @Test
    void missingOrWrongFieldsAreNamedByTheirPointer() {
        assertRefused("census-synced-segments", "{\"batch\":[]}", "/environment_id must be a non-empty string");
        assertRefused("census-synced-segments", """
                {"environment_id":"e","batch":[{"cohort_id":"c","user_id":"u","value":"yes"}]}""",
                "/batch/0/value must be true or false");
        assertRefused("hightouch", "{\"environmentId\":\"e\",\"cohortId\":\"c\",\"members\":[]}",
                "/action must be a non-empty string");
        assertRefused("fulcrum", "{\"environmentId\":\"e\",\"cohortName\":\"n\",\"included\":{\"add\":[{\"id\":\"a\"}]}}",
                "/cohortId must be a cohort id");
        assertRefused("segment-audiences", "{\"environmentId\":\"e\",\"contextKind\":\"kind\",\"batch\":[]}",
                "/contextKind must be a context kind (letters, digits, '.', '_', '-')");
    }

    @Test
    void actionsDecideTheWholeBatch() throws Exception {
        assertThat(adds("hightouch", "{\"environmentId\":\"e\",\"cohortId\":\"c\",\"action\":\"add\","
                + "\"members\":[{\"integration_distinct_id\":\"a\"}]}")).containsExactly(true);
        assertThat(adds("hightouch", "{\"environmentId\":\"e\",\"cohortId\":\"c\",\"action\":\"remove\","
                + "\"members\":[{\"integration_distinct_id\":\"a\"}]}")).containsExactly(false);
        assertThat(adds("tealium-synced-segments", "{\"action\":\"remove_member\",\"parameters\":{"
                + "\"tealium_project_id\":\"e\",\"tealium_cohort_id\":\"c\",\"members\":[{\"member_id\":\"a\"}]}}"))
                .containsExactly(false);
        assertThat(adds("zeotap", "{\"action\":\"add_members\",\"parameters\":{\"integration_project_id\":\"e\","
                + "\"integration_cohort_id\":\"c\",\"members\":[{\"integration_distinct_id\":\"a\"}]}}"))
                .containsExactly(true);
    }

    @Test
    void heapSegmentIdsMayBeNumbersAndAMissingRemoveArrayIsEmpty() throws Exception {
        SyncedRequest r = parse("heap-inbound", """
                {"parameters":{"environment_id":"e"},"heap":{"data":{"segment":{"id":42,"name":"Buyers"},
                  "add":[{"id":"a"},{"id":7}]}}}""");
        assertThat(r.cohorts()).singleElement().satisfies(c -> {
            assertThat(c.cohortId()).isEqualTo("42");
            assertThat(c.members()).hasSize(2);
        });
    }

    private static List<Boolean> adds(String tool, String body) throws Exception {
        return parse(tool, body).cohorts().get(0).members().stream().map(SyncedRequest.MemberUpdate::add).toList();
    }

    private static SyncedRequest parse(String tool, String body) throws Exception {
        return SyncedRequestParser.parse(TOOLS.get(tool), JSON.readTree(body));
    }

    private static void assertRefused(String tool, String body, String message) {
        assertThatThrownBy(() -> parse(tool, body)).isInstanceOf(InvalidPayloadException.class).hasMessage(message);
    }
}
