package dev.bigsegments.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged application ({@code <module>/target/quarkus-app/quarkus-run.jar}) run as a child process,
 * so its memory is its own and can be read from /proc.
 */
final class ChildJvm implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(String module, String heap, List<String> args, Map<String, String> environment, Path log)
            throws IOException {
        return start(module, module, heap, args, environment, log);
    }

    /** @param name what the process is called in messages (several may run one module) */
    static ChildJvm start(String name, String module, String heap, List<String> args, Map<String, String> environment,
            Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + heap, "-jar", artifact(module).toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment);
        Process process = pb.start();
        // A benchmark stopped with Ctrl-C leaves no service behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        System.err.println(name + " log: " + log);
        return new ChildJvm(name, process, log);
    }

    /** Run from the repository root (exec:java) or from the benchmarks module. */
    private static Path artifact(String module) {
        for (Path base : List.of(Path.of(""), Path.of(".."))) {
            Path jar = base.resolve(Path.of(module, "target", "quarkus-app", "quarkus-run.jar")).toAbsolutePath()
                    .normalize();
            if (Files.exists(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("build first: ./mvnw -q -DskipTests install (no " + module
                + "/target/quarkus-app/quarkus-run.jar)");
    }

    String name() {
        return name;
    }

    /** CPU seconds the process has used so far (user + system, /proc, Linux); -1 where unknown. */
    double cpuSeconds() {
        return cpuSeconds(process.pid());
    }

    /** CPU seconds process {@code pid} has used so far (utime + stime of /proc/pid/stat, at 100 ticks/s). */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // After the command name in parentheses: state is field 3, utime 14 and stime 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Peak resident set size so far (VmHWM in /proc, Linux), in MiB; -1 where unknown. */
    long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Waits for the service's readiness check on its management port. */
    void awaitReady(int managementPort) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!ready(managementPort)) {
            requireAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not become ready in 3 minutes (see " + log + ")");
            }
            Thread.sleep(200);
        }
    }

    /** Whether the service with this management port answers its readiness check. */
    private static boolean ready(int managementPort) throws InterruptedException {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/q/health/ready")).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails with the log's location once the process has died. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + " (see " + log + ")");
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
