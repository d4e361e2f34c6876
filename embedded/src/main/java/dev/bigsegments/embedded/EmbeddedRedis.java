package dev.bigsegments.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    // A port can be taken between probing and binding; a fresh port on retry settles it.
    private static final int ATTEMPTS = 3;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Process process;
    private final int port;
    private final RedisWorkDir workDir;
    private final Thread shutdownHook;

    private EmbeddedRedis(Process process, int port, RedisWorkDir workDir) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
        this.shutdownHook = new Thread(this::kill, "embedded-redis-reaper-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the {@code redis-server} found by {@link #findRedisServer()}. */
    public static EmbeddedRedis start() {
        return start(findRedisServer().orElseThrow(() -> new IllegalStateException(INSTALL_HINT)));
    }

    /** Starts the given {@code redis-server} binary and returns once it answers PING. */
    public static EmbeddedRedis start(Path redisServer) {
        String lastLog = "";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            EmbeddedRedis redis = spawn(redisServer, FreePorts.next());
            if (redis.awaitPing()) {
                return redis;
            }
            lastLog = redis.workDir.logTail();
            redis.close();
        }
        throw new IllegalStateException(redisServer + " did not answer PING after " + ATTEMPTS
                + " attempts. Its last output:\n" + lastLog);
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
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the server (SIGTERM, then SIGKILL after a grace period). Safe to call twice. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        removeShutdownHook();
        workDir.delete();
    }

    // "--save ''" and "--appendonly no" turn persistence off: every run starts empty and writes
    // nothing; the working directory is private anyway so a stray dump cannot land elsewhere.
    private static EmbeddedRedis spawn(Path binary, int port) {
        RedisWorkDir workDir = RedisWorkDir.create();
        ProcessBuilder builder = new ProcessBuilder(binary.toString(),
                "--port", String.valueOf(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", workDir.path().toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.log().toFile());
        try {
            return new EmbeddedRedis(builder.start(), port, workDir);
        } catch (IOException e) {
            workDir.delete();
            throw new UncheckedIOException("Cannot run " + binary, e);
        }
    }

    private boolean awaitPing() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (RespPing.answers(port)) {
                return true;
            }
            pause();
        }
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server", e);
        }
    }

    private void kill() {
        process.destroyForcibly();
        workDir.delete();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (close() called from another hook): nothing to remove.
        }
    }
}
