package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.PipelineTestResource.ENV_ID;
import static dev.bigsegments.standalone.SyncedSupport.RUN;
import static dev.bigsegments.standalone.SyncedSupport.assertSdkSees;
import static dev.bigsegments.standalone.SyncedSupport.post;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Senders retry: the same request delivered again, even after later changes, changes nothing. */
@QuarkusTest
@QuarkusTestResource(value = PipelineTestResource.class, restrictToAnnotatedClass = false)
class SyncedIdempotencyTest {

    @Test
    void aRetriedRequestArrivingAfterALaterRemoveDoesNotAddTheMemberBack() {
        String c1 = "idem-a-" + RUN;
        String c2 = "idem-b-" + RUN;
        String add = """
                {"environmentId":"%3$s","batch":[
                  {"cohortId":"%1$s","cohortName":"A","userId":"idem-1","value":true},
                  {"cohortId":"%2$s","cohortName":"B","userId":"idem-ß","value":true}]}
                """.formatted(c1, c2, ENV_ID);
        String remove = """
                {"environmentId":"%3$s","batch":[
                  {"cohortId":"%1$s","cohortName":"A","userId":"idem-1","value":false},
                  {"cohortId":"%2$s","cohortName":"B","userId":"idem-ß","value":false}]}
                """.formatted(c1, c2, ENV_ID);
        post("amplitude", add).then().statusCode(204);
        assertSdkSees("amplitude-" + c1, Map.of("idem-1", true));
        assertSdkSees("amplitude-" + c2, Map.of("idem-ß", true));
        post("amplitude", remove).then().statusCode(204);
        post("amplitude", add).then().statusCode(204);
        String sentinel = """
                {"environmentId":"%3$s","batch":[
                  {"cohortId":"%1$s","cohortName":"A","userId":"idem-after","value":true},
                  {"cohortId":"%2$s","cohortName":"B","userId":"idem-after","value":true}]}
                """.formatted(c1, c2, ENV_ID);
        post("amplitude", sentinel).then().statusCode(204);
        assertSdkSees("amplitude-" + c1, Map.of("idem-after", true, "idem-1", false));
        assertSdkSees("amplitude-" + c2, Map.of("idem-after", true, "idem-ß", false));
    }
}
