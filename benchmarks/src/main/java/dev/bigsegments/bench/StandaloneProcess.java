package dev.bigsegments.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The packaged standalone application as a child process, against the benchmark's broker and Redis. */
final class StandaloneProcess implements AutoCloseable {
    private final Process process;

    private StandaloneProcess(Process process) {
        this.process = process;
    }

    static StandaloneProcess start(String heap, String kafka, String redis, int port, String token, Path dataDir,
            Path log) throws IOException {
        Path jar = Path.of("standalone", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            jar = Path.of("..", "standalone", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        }
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build first: ./mvnw -q -DskipTests install (no " + jar + ")");
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + heap, "-jar", jar.toString(), "--kafka-bootstrap-servers", kafka,
                "--redis-url", redis, "--port", String.valueOf(port), "--data-dir", dataDir.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("BIGSEGMENTS_INGEST_TOKENS_STANDALONE_SECRET", token);
        pb.environment().put("BIGSEGMENTS_WRITER_STAMP_INTERVAL", "200ms");
        return new StandaloneProcess(pb.start());
    }

    /** Peak resident set size so far, from /proc (Linux), in MiB; -1 where unknown. */
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

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
