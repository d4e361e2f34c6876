package dev.bigsegments.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/node/direct-client.cjs} with Node.js (from PATH) and the npm packages installed at the
 * repository root by {@code npm ci}; a missing Node.js or package fails the test, saying how to install it.
 */
final class NodeClient {
    static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    static final Path SCRIPT = Path.of("src/test/node/direct-client.cjs").toAbsolutePath();
    private static final long TIMEOUT_SECONDS = 90;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> settings;

    NodeClient(Map<String, Object> settings) {
        this.settings = settings;
    }

    /** Runs one mode of the script and returns the JSON line it printed. */
    JsonNode run(String mode) throws IOException, InterruptedException {
        assertThat(REPOSITORY.resolve("node_modules/kafkajs")).as("the npm packages of the repository root: run"
                + " `npm ci` there (.ci/run does)").isDirectory();
        Path output = Files.createTempFile("node-" + mode, ".out");
        Path errors = Files.createTempFile("node-" + mode, ".err");
        ProcessBuilder builder = new ProcessBuilder(List.of("node", SCRIPT.toString(), mode, JSON.writeValueAsString(settings)))
                .redirectOutput(output.toFile()).redirectError(errors.toFile());
        builder.environment().put("KAFKAJS_NO_PARTITIONER_WARNING", "1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("Node.js is needed: install Debian's nodejs (apt-get install -y nodejs npm)", e);
        }
        try {
            boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String stderr = Files.readString(errors, StandardCharsets.UTF_8);
            assertThat(finished).as("node %s within %d s; stderr:%n%s", mode, TIMEOUT_SECONDS, stderr).isTrue();
            assertThat(process.exitValue()).as("node %s exit code; stderr:%n%s", mode, stderr).isZero();
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            return JSON.readTree(lines.get(lines.size() - 1));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }
}
