package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.PipelineTestResource.ENV_ID;
import static dev.bigsegments.standalone.SyncedSupport.RUN;
import static dev.bigsegments.standalone.SyncedSupport.assertSdkSees;
import static dev.bigsegments.standalone.SyncedSupport.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each of the ten tools posts its own payload shape through the running service; the result goes through
 * Kafka, the stream processor and the Redis writer, and is read back by the LaunchDarkly SDK.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineTestResource.class, restrictToAnnotatedClass = false)
class SyncedToolsTest {

    @Test
    void amplitudeUpdatesEveryCohortOfABatchInOrder() {
        String c1 = "amp-a-" + RUN;
        String c2 = "amp-b-" + RUN;
        post("amplitude", """
                {"environmentId":"%3$s","batch":[
                  {"cohortId":"%1$s","cohortName":"Power users","cohortUrl":"https://app.amplitude.com/c/1","userId":"amp-1","value":true},
                  {"cohortId":"%1$s","cohortName":"Power users","userId":"ünïcødé-amp","value":true},
                  {"cohortId":"%2$s","cohortName":"Churn risk","userId":"amp-2","value":true},
                  {"cohortId":"%2$s","cohortName":"Churn risk","userId":"ユーザー-amp","value":true},
                  {"cohortId":"%1$s","cohortName":"Power users","userId":"amp-3","value":false}]}
                """.formatted(c1, c2, ENV_ID)).then().statusCode(204);
        post("amplitude", """
                {"environmentId":"%3$s","batch":[
                  {"cohortId":"%1$s","cohortName":"Power users","userId":"amp-1","value":false},
                  {"cohortId":"%2$s","cohortName":"Churn risk","userId":"amp-4","value":true}]}
                """.formatted(c1, c2, ENV_ID)).then().statusCode(204);
        assertSdkSees("amplitude-" + c1, Map.of("amp-1", false, "ünïcødé-amp", true, "amp-3", false, "amp-2", false));
        assertSdkSees("amplitude-" + c2, Map.of("amp-2", true, "ユーザー-amp", true, "amp-4", true, "amp-1", false));
    }

    @Test
    void segmentAudiencesUpdatesSeveralCohortsWithAddsAndRemoves() {
        String c1 = "sa-a-" + RUN;
        String c2 = "sa-b-" + RUN;
        post("segment-audiences", """
                {"environmentId":"%3$s","contextKind":"user","batch":[
                  {"cohortId":"%1$s","cohortName":"Trialists","userId":"sa-1","value":true},
                  {"cohortId":"%2$s","cohortName":"Buyers","userId":"sa-2","value":true},
                  {"cohortId":"%1$s","cohortName":"Trialists","userId":"josé@example.com","value":true}]}
                """.formatted(c1, c2, ENV_ID)).then().statusCode(204);
        post("segment-audiences", """
                {"environmentId":"%3$s","contextKind":"user","batch":[
                  {"cohortId":"%1$s","cohortName":"Trialists","userId":"sa-1","value":false},
                  {"cohortId":"%2$s","cohortName":"Buyers","userId":"sa-1","value":true}]}
                """.formatted(c1, c2, ENV_ID)).then().statusCode(204);
        assertSdkSees("segment-audiences-" + c1, Map.of("sa-1", false, "josé@example.com", true));
        assertSdkSees("segment-audiences-" + c2, Map.of("sa-1", true, "sa-2", true, "josé@example.com", false));
    }

    @Test
    void censusUsesItsSnakeCaseFieldsForSeveralCohorts() {
        String c1 = "census-a-" + RUN;
        String c2 = "census-b-" + RUN;
        post("census-synced-segments", """
                {"environment_id":"%3$s","context_kind":"user","batch":[
                  {"cohort_id":"%1$s","cohort_name":"High LTV","user_id":"cs-1","value":true},
                  {"cohort_id":"%2$s","cohort_name":"Low LTV","user_id":"Ørsted-cs","value":true},
                  {"cohort_id":"%1$s","cohort_name":"High LTV","user_id":"cs-2","value":true}]}
                """.formatted(c1, c2, ENV_ID)).then().statusCode(204);
        post("census-synced-segments", """
                {"environment_id":"%3$s","context_kind":"user","batch":[
                  {"cohort_id":"%1$s","cohort_name":"High LTV","user_id":"cs-2","value":false},
                  {"cohort_id":"%2$s","cohort_name":"Low LTV","user_id":"cs-2","value":true}]}
                """.formatted(c1, c2, ENV_ID)).then().statusCode(204);
        assertSdkSees("census-synced-segments-" + c1, Map.of("cs-1", true, "cs-2", false, "Ørsted-cs", false));
        assertSdkSees("census-synced-segments-" + c2, Map.of("Ørsted-cs", true, "cs-2", true, "cs-1", false));
    }

    @Test
    void rudderstackAddsAndRemovesFromItsTwoLists() {
        String cohort = "rs-" + RUN;
        String first = """
                {"environmentId":"%s","contextKind":"user","cohortId":"%s","cohortName":"Engaged",
                 "cohortUrl":"https://app.rudderstack.com/audiences/1",
                 "listData":{"add":[{"id":"rs-1"},{"id":"rs-2"},{"id":"Ünïcode-rs"}],"remove":[]}}""";
        post("rudderstack", first.formatted(ENV_ID, cohort)).then().statusCode(204);
        post("rudderstack", """
                {"environmentId":"%s","contextKind":"user","cohortId":"%s","cohortName":"Engaged",
                 "listData":{"add":[{"id":"rs-3"}],"remove":[{"id":"rs-2"}]}}""".formatted(ENV_ID, cohort))
                .then().statusCode(204);
        assertSdkSees("rudderstack-" + cohort, Map.of("rs-1", true, "rs-2", false, "rs-3", true, "Ünïcode-rs", true));
    }

    @Test
    void heapGetsItsOwnResponseBody() {
        String segment = "heap-" + RUN;
        String key = "heap-inbound-" + segment;
        post("heap-inbound", """
                {"parameters":{"environment_id":"%s"},"heap":{"data":{"segment":{"id":"%s","name":"Activated"},
                 "add":[{"id":"hp-1"},{"id":"hp-2"},{"id":"Grüße-hp"}],"remove":[]}}}""".formatted(ENV_ID, segment))
                .then().statusCode(200);
        var answer = post("heap-inbound", """
                {"parameters":{"environment_id":"%s"},"heap":{"data":{"segment":{"id":"%s","name":"Activated"},
                 "add":[],"remove":[{"id":"hp-1"}]}}}""".formatted(ENV_ID, segment));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.jsonPath().getMap("$")).containsExactlyInAnyOrderEntriesOf(Map.of("projectId", "proj",
                "environmentId", "test", "segmentId", key, "segmentUrl", "/api/v2/segments/proj/test/" + key,
                "status", "success"));
        assertSdkSees(key, Map.of("hp-1", false, "hp-2", true, "Grüße-hp", true));
    }

    @Test
    void fulcrumAddsAndRemovesFromItsIncludedLists() {
        arraysTool("fulcrum", "fc");
    }

    @Test
    void sumatraAddsAndRemovesFromItsIncludedLists() {
        arraysTool("sumatra-synced-segments", "sm");
    }

    @Test
    void hightouchAddsOrRemovesTheWholeBatchByItsAction() {
        String cohort = "ht-" + RUN;
        String body = """
                {"environmentId":"%s","contextKind":"user","cohortId":"%s","cohortName":"Model: likely buyers",
                 "action":"%s","members":[%s]}""";
        post("hightouch", body.formatted(ENV_ID, cohort, "add",
                "{\"integration_distinct_id\":\"ht-1\"},{\"integration_distinct_id\":\"ht-2\"},"
                        + "{\"integration_distinct_id\":\"Śliwka-ht\"}")).then().statusCode(204);
        post("hightouch", body.formatted(ENV_ID, cohort, "remove", "{\"integration_distinct_id\":\"ht-2\"}"))
                .then().statusCode(204);
        assertSdkSees("hightouch-" + cohort, Map.of("ht-1", true, "ht-2", false, "Śliwka-ht", true));
    }

    @Test
    void tealiumAddMemberAddsAndRemoveMemberRemoves() {
        String cohort = "tl-" + RUN;
        String body = """
                {"action":"%s","parameters":{"tealium_project_id":"%s","tealium_cohort_id":"%s",
                 "tealium_cohort_name":"Cart abandoners","members":[%s]}}""";
        post("tealium-synced-segments", body.formatted("add_member", ENV_ID, cohort,
                "{\"member_id\":\"tl-1\"},{\"member_id\":\"tl-2\"},{\"member_id\":\"Ćevapi-tl\"}"))
                .then().statusCode(204);
        post("tealium-synced-segments", body.formatted("remove_member", ENV_ID, cohort, "{\"member_id\":\"tl-1\"}"))
                .then().statusCode(204);
        assertSdkSees("tealium-synced-segments-" + cohort, Map.of("tl-1", false, "tl-2", true, "Ćevapi-tl", true));
    }

    @Test
    void zeotapAddsWithItsAddActionsAndRemovesWithAnyOther() {
        String cohort = "zt-" + RUN;
        String body = """
                {"action":"%s","parameters":{"integration_project_id":"%s","integration_cohort_id":"%s",
                 "integration_cohort_name":"Sports fans","members":[%s]}}""";
        post("zeotap", body.formatted("add_members", ENV_ID, cohort,
                "{\"integration_distinct_id\":\"zt-1\"},{\"integration_distinct_id\":\"Ζεύς-zt\"}"))
                .then().statusCode(204);
        post("zeotap", body.formatted("members", ENV_ID, cohort, "{\"integration_distinct_id\":\"zt-2\"}"))
                .then().statusCode(204);
        post("zeotap", body.formatted("remove_members", ENV_ID, cohort, "{\"integration_distinct_id\":\"zt-1\"}"))
                .then().statusCode(204);
        assertSdkSees("zeotap-" + cohort, Map.of("zt-1", false, "zt-2", true, "Ζεύς-zt", true));
    }

    private static void arraysTool(String integrationKey, String tag) {
        String cohort = tag + "-" + RUN;
        String body = """
                {"environmentId":"%s","contextKind":"user","cohortId":"%s","cohortName":"Fraud review",
                 "cohortUrl":"https://example.com/cohorts/%s","included":{"add":[%s],"remove":[%s]}}""";
        post(integrationKey, body.formatted(ENV_ID, cohort, cohort,
                "{\"id\":\"" + tag + "-1\"},{\"id\":\"" + tag + "-2\"},{\"id\":\"Ñandú-" + tag + "\"}", ""))
                .then().statusCode(204);
        post(integrationKey, body.formatted(ENV_ID, cohort, cohort, "{\"id\":\"" + tag + "-3\"}",
                "{\"id\":\"" + tag + "-1\"}")).then().statusCode(204);
        assertSdkSees(integrationKey + "-" + cohort,
                Map.of(tag + "-1", false, tag + "-2", true, tag + "-3", true, "Ñandú-" + tag, true));
    }
}
