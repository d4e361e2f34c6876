package dev.bigsegments.standalone;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.FreePorts;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One service run from its packaged artifact ({@code <module>/target/quarkus-app/quarkus-run.jar}) as a
 * separate process, configured only through environment variables, as in the Kubernetes manifests.
 * Each gets its own management port (health, metrics), kept across restarts.
 */
final class ServiceProcess implements AutoCloseable {
    private static final String MANAGEMENT_PORT = "QUARKUS_MANAGEMENT_PORT";

    private final String module;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    ServiceProcess(String module, Map<String, String> environment) throws IOException {
        this.module = module;
        this.environment = new HashMap<>(environment);
        this.environment.putIfAbsent(MANAGEMENT_PORT, String.valueOf(FreePorts.next()));
        this.log = Files.createDirectories(Path.of("target", "service-logs"))
                .resolve(module + "-" + System.nanoTime() + ".log");
    }

    static Path artifact(String module) {
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the modules first (./mvnw verify builds them"
                    + " before this module's tests)");
        }
        return jar;
    }

    ServiceProcess start() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", artifact(module).toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(environment);
        process = pb.start();
        // A test JVM that dies leaves no service behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return this;
    }

    /** Waits until the service answers its readiness check (slow on a loaded machine). */
    void awaitReady() {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> readiness().statusCode() == 200);
    }

    /** The readiness check's answer, on the management port. */
    Response readiness() {
        return given().get(managementUrl() + "/q/health/ready");
    }

    /** The Prometheus metrics, on the management port. */
    String metrics() {
        return given().get(managementUrl() + "/q/metrics").asString();
    }

    private String managementUrl() {
        return "http://127.0.0.1:" + environment.get(MANAGEMENT_PORT);
    }

    /** SIGKILL: no shutdown hook, no flush, no commit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The operating system's id of the running process (for what /proc tells of it). */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
