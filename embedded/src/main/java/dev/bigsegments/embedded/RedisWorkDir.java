package dev.bigsegments.embedded;

import java.nio.file.Path;

/** A private temporary directory for one redis-server: its working directory and its log. */
final class RedisWorkDir {
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

    void delete() {
        Directories.deleteQuietly(path);
    }
}
