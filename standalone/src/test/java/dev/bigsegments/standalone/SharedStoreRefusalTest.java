package dev.bigsegments.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two environments writing one Redis key prefix would read each other's memberships and vouch for each
 * other's data: the packaged store writer refuses to start, saying which environments and what to change.
 */
class SharedStoreRefusalTest {

    @Test
    void aWriterWithTwoEnvironmentsOnOnePrefixRefusesToStart() throws Exception {
        PipelineScenario scenario = new PipelineScenario("shared" + Long.toHexString(System.nanoTime() & 0xfffff));
        Map<String, String> env = scenario.writer(SharedServices.redis().uri());
        String second = "BIGSEGMENTS_ENVIRONMENTS_" + scenario.name.toUpperCase(Locale.ROOT) + "TWIN_";
        env.put(second + "ID", "env-twin");
        env.put(second + "PROJECT_KEY", PipelineScenario.PROJECT);
        env.put(second + "ENVIRONMENT_KEY", "twin");
        env.put(second + "STORE_PREFIX", scenario.prefix());
        try (ServiceProcess writer = new ServiceProcess("store-writer", env).start()) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> !writer.isAlive());
            assertThat(writer.logTail()).contains("both write Redis key prefix '" + scenario.prefix() + "'")
                    .contains("give each its own bigsegments.environments.<name>.store-prefix");
        }
    }
}
