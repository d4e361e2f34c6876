package dev.bigsegments.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code redis-cli}, Redis's own client, run as a process: how the cluster and Sentinel launchers create a
 * cluster ({@code --cluster create}) and ask nodes about their state, as an operator would.
 */
final class RedisCli {
    static final String INSTALL_HINT = "redis-cli was not found beside redis-server or on PATH: Redis Cluster and"
            + " Sentinel need Debian's package (apt-get install -y redis-server, which brings redis-tools)";
    private static final long TIMEOUT_SECONDS = 60;

    private final Path binary;

    private RedisCli(Path binary) {
        this.binary = binary;
    }

    /** The {@code redis-cli} beside the given {@code redis-server}, else on PATH. */
    static RedisCli beside(Path redisServer) {
        Path sibling = redisServer.resolveSibling("redis-cli");
        if (Files.isExecutable(sibling)) {
            return new RedisCli(sibling);
        }
        Optional<Path> onPath = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, "redis-cli")).filter(Files::isExecutable)
                .findFirst();
        return new RedisCli(onPath.orElseThrow(() -> new IllegalStateException(INSTALL_HINT)));
    }

    /** Runs {@code redis-cli -p port args...}; returns its output, throwing when it fails. */
    String run(int port, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(port)));
        command.addAll(List.of(args));
        return exec(command);
    }

    /** Runs {@code redis-cli args...} with no node given (as {@code --cluster create} takes its own). */
    String runBare(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    private static String exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }
}
