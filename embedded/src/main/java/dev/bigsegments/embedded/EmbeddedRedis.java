package dev.bigsegments.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A throw-away {@code redis-server} child process on a free loopback port, with persistence off, or, for
 * fault tests, with an append-only file so that it can be killed and restarted with its data. The binary is the
 * one {@link RedisServerBinary} finds: on PATH, else the Redis 6.2 build bundled for this platform. A JVM shutdown
 * hook kills the server if {@link #close()} is never called, so no server outlives the JVM.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path binary;
    private final RedisWorkDir workDir;
    private final boolean durable;
    private volatile ChildServer server;

    private EmbeddedRedis(Path binary, RedisWorkDir workDir, boolean durable) {
        this.binary = binary;
        this.workDir = workDir;
        this.durable = durable;
    }

    /** Starts the {@code redis-server} found by {@link #findRedisServer()}. */
    public static EmbeddedRedis start() {
        return start(requireRedisServer());
    }

    /** Starts the given {@code redis-server} binary and returns once it answers PING. */
    public static EmbeddedRedis start(Path redisServer) {
        return launch(new EmbeddedRedis(redisServer, null, false));
    }

    /**
     * Starts a server that keeps its data in an append-only file (every write acknowledged is in the file),
     * so {@link #kill()} and {@link #restart()} lose nothing, as a production Redis with AOF.
     */
    public static EmbeddedRedis startDurable() {
        return startDurable(requireRedisServer());
    }

    /** {@link #startDurable()} with the given {@code redis-server} binary. */
    public static EmbeddedRedis startDurable(Path redisServer) {
        return launch(new EmbeddedRedis(redisServer, RedisWorkDir.create(), true));
    }

    /**
     * The {@code redis-server} on PATH, else the build bundled for this platform (unpacked into a temporary folder
     * for this JVM); empty where there is neither ({@link RedisServerBinary#installHint()} says what to install).
     */
    public static Optional<Path> findRedisServer() {
        return RedisServerBinary.forThisJvm().map(RedisServerBinary::path);
    }

    static Path requireRedisServer() {
        return findRedisServer().orElseThrow(() -> new IllegalStateException(RedisServerBinary.installHint()));
    }

    private static EmbeddedRedis launch(EmbeddedRedis redis) {
        redis.server = ChildServer.start(redis.binary.toString(), redis::spawn, RespPing::answers, START_TIMEOUT);
        return redis;
    }

    public int port() {
        return server.port();
    }

    public String uri() {
        return "redis://127.0.0.1:" + server.port();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** SIGKILL: clients see refused connections until {@link #restart()}. */
    public void kill() {
        server.kill();
    }

    /** Starts the server again on the same port, with the data a durable server kept. */
    public void restart() {
        if (server.isRunning()) {
            throw new IllegalStateException("redis-server on port " + port() + " is still running");
        }
        server = ChildServer.startOn(binary.toString(), server.port(), this::spawn, RespPing::answers, START_TIMEOUT);
    }

    /** Stops the server (SIGTERM, then SIGKILL after a grace period). Safe to call twice. */
    @Override
    public void close() {
        server.stop();
        if (workDir != null) {
            workDir.delete();
        }
    }

    // "--save ''" turns snapshots off; "--appendonly" keeps every write in a file for durable servers only, so
    // a plain run starts empty and writes nothing. The working directory is private either way.
    private ChildServer spawn(int port) {
        RedisWorkDir dir = workDir != null ? workDir : RedisWorkDir.create();
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", String.valueOf(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", durable ? "yes" : "no",
                "--dir", dir.path().toString()));
        Runnable cleanup = workDir != null ? () -> { } : dir::delete;
        return new ChildServer("embedded-redis", new ProcessBuilder(command), port, dir.log(), cleanup);
    }
}
