package dev.bigsegments.embedded;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A throw-away {@code redis-server} child process on a free loopback port, with persistence off.
 * A JVM shutdown hook kills it if {@link #close()} is never called, so no server outlives the JVM.
 */
public final class EmbeddedRedis implements AutoCloseable {
    static final String BINARY = "redis-server";
    static final String INSTALL_HINT = BINARY + " was not found on PATH. Install it with"
            + " 'apt-get install -y redis-server' (Debian/Ubuntu), or pass --redis-url to use an existing Redis.";
    private static final List<Path> USUAL_LOCATIONS = List.of(
            Path.of("/usr/bin"), Path.of("/usr/local/bin"), Path.of("/usr/sbin"), Path.of("/opt/homebrew/bin"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final ChildServer server;

    private EmbeddedRedis(ChildServer server) {
        this.server = server;
    }

    /** Starts the {@code redis-server} found by {@link #findRedisServer()}. */
    public static EmbeddedRedis start() {
        return start(findRedisServer().orElseThrow(() -> new IllegalStateException(INSTALL_HINT)));
    }

    /** Starts the given {@code redis-server} binary and returns once it answers PING. */
    public static EmbeddedRedis start(Path redisServer) {
        return new EmbeddedRedis(ChildServer.start(redisServer.toString(), port -> spawn(redisServer, port),
                RespPing::answers, START_TIMEOUT));
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

    /** Stops the server (SIGTERM, then SIGKILL after a grace period). Safe to call twice. */
    @Override
    public void close() {
        server.stop();
    }

    // "--save ''" and "--appendonly no" turn persistence off: every run starts empty and writes
    // nothing; the working directory is private anyway so a stray dump cannot land elsewhere.
    private static ChildServer spawn(Path binary, int port) {
        RedisWorkDir workDir = RedisWorkDir.create();
        ProcessBuilder builder = new ProcessBuilder(binary.toString(),
                "--port", String.valueOf(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", workDir.path().toString());
        return new ChildServer("embedded-redis", builder, port, workDir.log(), workDir::delete);
    }
}
