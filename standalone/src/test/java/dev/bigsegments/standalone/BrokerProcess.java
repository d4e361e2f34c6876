package dev.bigsegments.standalone;

import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.BrokerMain;
import dev.bigsegments.embedded.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A KRaft broker in a process of its own ({@link BrokerMain}), on fixed ports with its data in a directory
 * that survives {@link #kill()} and {@link #restart()}: the broker a fault test can SIGKILL while clients keep
 * the same bootstrap address.
 */
final class BrokerProcess implements AutoCloseable {
    private static final Duration READY = Duration.ofMinutes(2);

    private final Path dataDir;
    private final Path log;
    private final int brokerPort = FreePorts.next();
    private final int controllerPort = FreePorts.next();
    private Process process;
    private int starts;

    private BrokerProcess() throws IOException {
        this.dataDir = Files.createTempDirectory("broker-process-");
        this.log = Files.createDirectories(Path.of("target", "service-logs"))
                .resolve("broker-" + System.nanoTime() + ".log");
    }

    static BrokerProcess start() throws IOException {
        BrokerProcess broker = new BrokerProcess();
        broker.spawn();
        return broker;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** SIGKILL: no controlled shutdown, nothing flushed that the broker had not written. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Starts it again on the same ports and data. */
    void restart() throws IOException {
        spawn();
    }

    private void spawn() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                BrokerMain.class.getName(), dataDir.toString(), String.valueOf(brokerPort),
                String.valueOf(controllerPort)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        int start = ++starts;
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("the broker exited:\n" + logTail());
            }
            // The log is appended to across restarts: this start is ready once it printed its own line.
            return logLines().stream().filter(l -> l.startsWith(BrokerMain.READY + bootstrapServers())).count() >= start;
        });
    }

    private List<String> logLines() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logTail() {
        List<String> lines = logLines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
