package dev.bigsegments.ingest.synced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.ingest.body.BodyLimit;
import dev.bigsegments.ingest.body.JsonLimits;
import dev.bigsegments.ingest.errors.InvalidRequest;
import dev.bigsegments.ingest.errors.LimitExceeded;
import dev.bigsegments.ingest.synced.SyncedRequest.CohortChanges;
import dev.bigsegments.schemas.ContextHashes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncedRequestParserTest {
    private static final Map<String, IntegrationDescriptor> TOOLS =
            DescriptorLoader.fromClasspath(SyncedRequestParserTest.class.getClassLoader());
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        new JsonLimits(64, 1_000, 20).applyTo(JSON);
    }

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

    @Test
    void theOrderOfTheFieldsInTheBodyChangesNeitherTheRequestNorWhichErrorIsReported() throws Exception {
        SyncedRequest membersFirst = parse("hightouch", """
                {"members":[{"integration_distinct_id":"a"},{"integration_distinct_id":"b"}],
                 "action":"remove","cohortId":"c","environmentId":"e"}""");
        SyncedRequest membersLast = parse("hightouch", """
                {"environmentId":"e","cohortId":"c","action":"remove",
                 "members":[{"integration_distinct_id":"a"},{"integration_distinct_id":"b"}]}""");
        assertThat(membersFirst).usingRecursiveComparison().isEqualTo(membersLast);
        assertThat(membersFirst.cohorts().get(0).members()).extracting(SyncedRequest.MemberUpdate::add)
                .containsExactly(false, false);
        // A bad member before the environment id still loses to the missing environment id.
        assertRefused("amplitude", "{\"batch\":[{\"cohortId\":\"c\",\"userId\":\"\",\"value\":true}]}",
                "/environmentId must be a non-empty string");
        assertRefused("amplitude", "{\"batch\":[{\"cohortId\":\"c\",\"userId\":\"\",\"value\":true}],"
                + "\"environmentId\":\"e\"}", "/batch/0/userId must be a non-empty context key");
    }

    @Test
    void theTopCohortMayComeFromTheFirstMemberOfTheStreamedArray() throws Exception {
        SyncedRequest r = parse("amplitude", """
                {"batch":[{"cohortId":"c9","cohortName":"Nine","userId":"a","value":true}],"environmentId":"e"}""");
        assertThat(r.cohorts()).singleElement().satisfies(c -> {
            assertThat(c.cohortId()).isEqualTo("c9");
            assertThat(c.cohortName()).isEqualTo("Nine");
        });
    }

    @Test
    void aBodyPastTheLimitIsRefusedWhileStreamingAndTheHashIsOfTheWholeBody() throws Exception {
        String body = "{\"environmentId\":\"e\",\"batch\":[" + "{\"cohortId\":\"c\",\"userId\":\"u\",\"value\":true},"
                .repeat(1_000) + "{\"cohortId\":\"c\",\"userId\":\"u\",\"value\":true}]}\n";
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        assertThatThrownBy(() -> read("amplitude", body, size - 1)).isInstanceOf(LimitExceeded.class)
                .hasMessage("the body exceeds the limit of " + (size - 1) + " bytes (test.limit)");
        SyncedRequestParser.Read read = read("amplitude", body, size);
        assertThat(read.request().memberCount()).isEqualTo(1_001);
        assertThat(read.sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aBodyThatIsNotOneJsonValueIsRefusedWithItsLocation() {
        assertThatThrownBy(() -> read("amplitude", "{\"environmentId\":\"e\",\n\"batch\":[}", 1_000))
                .isInstanceOf(InvalidRequest.class).hasMessageStartingWith("the body is not valid JSON: ")
                .hasMessageEndingWith("(for Array starting at line 2, column 9) (line 2, column 10, at /batch)");
        assertThatThrownBy(() -> read("amplitude", "{\"environmentId\":\"e\",\"batch\":[]} {}", 1_000))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("content after the JSON value");
        byte[] notUtf8 = {'{', '"', 'e', '"', ':', '"', (byte) 0xff, '"', '}'};
        assertThatThrownBy(() -> SyncedRequestParser.read(TOOLS.get("amplitude"), JSON,
                new ByteArrayInputStream(notUtf8), new BodyLimit(1_000, "test.limit")))
                .isInstanceOf(InvalidRequest.class).hasMessage("the body is not valid UTF-8 (byte 6)");
    }

    @Test
    void deepNestingIsRefusedByTheParserWhereverItIsAndNamesTheLimit() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        // along a wanted pointer (the streamed member array), inside a member, and in a skipped field
        for (String body : new String[] {"{\"environmentId\":\"e\",\"batch\":" + deep + "}",
                "{\"environmentId\":\"e\",\"batch\":[{\"userId\":" + deep + "}]}",
                "{\"environmentId\":\"e\",\"other\":" + deep + "}"}) {
            assertThatThrownBy(() -> read("amplitude", body, Long.MAX_VALUE)).isInstanceOf(InvalidRequest.class)
                    .hasMessageStartingWith("the JSON nests deeper than bigsegments.ingest.json.max-nesting-depth (64)");
        }
    }

    @Test
    void longStringsAndNumbersAtReadFieldsAreRefusedNamingTheLimit() {
        assertThatThrownBy(() -> read("amplitude", "{\"environmentId\":\"" + "e".repeat(1_001) + "\"}",
                Long.MAX_VALUE)).isInstanceOf(InvalidRequest.class).hasMessageStartingWith(
                        "a JSON string is longer than bigsegments.ingest.json.max-string-length (1000 characters)");
        assertThatThrownBy(() -> read("amplitude", "{\"environmentId\":\"e\",\"batch\":[{\"userId\":"
                + "9".repeat(21) + "}]}", Long.MAX_VALUE)).isInstanceOf(InvalidRequest.class).hasMessageStartingWith(
                        "a JSON number is longer than bigsegments.ingest.json.max-number-length (20 characters)");
    }

    @Test
    void onlyTheWantedValuesAreKeptAndPointersAreEscaped() throws Exception {
        List<Integer> seen = new ArrayList<>();
        PayloadStream.Result r = PayloadStream.read(JSON, new ByteArrayInputStream("""
                {"skip":{"deep":[1,2,{"x":"y"}]},"a/b":{"c~d":"found"},"list":[{"k":1},{"k":2}],"n":null}"""
                .getBytes(StandardCharsets.UTF_8)), new BodyLimit(1_000, "test.limit"), List.of("/a~1b/c~0d", "/list/1/k", "/n", "/skip/deep/2/x"),
                Map.of("/list", (i, e) -> seen.add(e.get("k").intValue())));
        assertThat(r.at("/a~1b/c~0d").textValue()).isEqualTo("found");
        assertThat(r.at("/list/1/k").intValue()).isEqualTo(2);
        assertThat(r.at("/skip/deep/2/x").textValue()).isEqualTo("y");
        assertThat(r.at("/n").isNull()).isTrue();
        assertThat(r.at("/skip").isMissingNode()).isTrue();
        assertThat(seen).containsExactly(1, 2);
    }

    private static List<Boolean> adds(String tool, String body) throws Exception {
        return parse(tool, body).cohorts().get(0).members().stream().map(SyncedRequest.MemberUpdate::add).toList();
    }

    private static SyncedRequest parse(String tool, String body) throws Exception {
        return read(tool, body, Long.MAX_VALUE).request();
    }

    private static SyncedRequestParser.Read read(String tool, String body, long limit) {
        return SyncedRequestParser.read(TOOLS.get(tool), JSON,
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), new BodyLimit(limit, "test.limit"));
    }

    private static void assertRefused(String tool, String body, String message) {
        assertThatThrownBy(() -> parse(tool, body)).isInstanceOf(InvalidRequest.class).hasMessage(message);
    }
}
