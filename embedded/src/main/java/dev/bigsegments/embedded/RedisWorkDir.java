package dev.bigsegments.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A private temporary directory for one redis-server: its working directory and its log. */
final class RedisWorkDir {
    private static final int TAIL_LINES = 20;

    private final Path path;

    private RedisWorkDir(Path path) {
        this.path = path;
    }

    static RedisWorkDir create() {
        return new RedisWorkDir(Directories.createTemp("embedded-redis-"));
    }

    Path path() {
        return path;
    }

    Path log() {
        return path.resolve("redis.log");
    }

    /** The last lines the server printed, to explain a failed start. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    void delete() {
        Directories.deleteQuietly(path);
    }
}
