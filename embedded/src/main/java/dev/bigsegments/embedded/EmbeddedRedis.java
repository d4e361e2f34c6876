package dev.bigsegments.embedded;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A throw-away {@code redis-server} child process on a free loopback port, with persistence off, or, for
 * fault tests, with an append-only file so that it can be killed and restarted with its data. A JVM shutdown
 * hook kills it if {@link #close()} is never called, so no server outlives the JVM.
 */
public final class EmbeddedRedis implements AutoCloseable {
    static final String BINARY = "redis-server";
    static final String INSTALL_HINT = BINARY + " was not found on PATH. Install it with"
            + " 'apt-get install -y redis-server' (Debian/Ubuntu), or pass --redis-url to use an existing Redis.";
    private static final List<Path> USUAL_LOCATIONS = List.of(
            Path.of("/usr/bin"), Path.of("/usr/local/bin"), Path.of("/usr/sbin"), Path.of("/opt/homebrew/bin"));
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
        return start(findRedisServer().orElseThrow(() -> new IllegalStateException(INSTALL_HINT)));
    }

    /** Starts the given {@code redis-server} binary and returns once it answers PING. */
    public static EmbeddedRedis start(Path redisServer) {
        EmbeddedRedis redis = new EmbeddedRedis(redisServer, null, false);
        redis.server = ChildServer.start(redisServer.toString(), redis::spawn, RespPing::answers, START_TIMEOUT);
        return redis;
    }

    /**
     * Starts a server that keeps its data in an append-only file (every write acknowledged is in the file),
     * so {@link #kill()} and {@link #restart()} lose nothing, as a production Redis with AOF.
     */
    public static EmbeddedRedis startDurable() {
        Path redisServer = findRedisServer().orElseThrow(() -> new IllegalStateException(INSTALL_HINT));
        EmbeddedRedis redis = new EmbeddedRedis(redisServer, RedisWorkDir.create(), true);
        redis.server = ChildServer.start(redisServer.toString(), redis::spawn, RespPing::answers, START_TIMEOUT);
        return redis;
    }

    /** The {@code redis-server} on PATH, else in the usual install folders. */
    public static Optional<Path> findRedisServer() {
        Stream<Path> onPath = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of);
        return Stream.concat(onPath, USUAL_LOCATIONS.stream())
                .map(dir -> dir.resolve(BINARY))
                .filter(Files::isExecutable)
                .findFirst();
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
