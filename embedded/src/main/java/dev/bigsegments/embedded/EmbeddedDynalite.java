package dev.bigsegments.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A throw-away dynalite (a DynamoDB-API server from npm, in memory) child process on a free loopback
 * port. dynalite is found in {@code $DYNALITE_HOME/node_modules/.bin/dynalite}, else in the nearest
 * {@code node_modules} above the working directory. A JVM shutdown hook kills it if {@link #close()} is
 * never called.
 */
public final class EmbeddedDynalite implements AutoCloseable {
    /** Folder holding {@code node_modules/dynalite}, when not found above the working directory. */
    public static final String HOME_ENV = "DYNALITE_HOME";
    static final String INSTALL_HINT = "dynalite was not found: a build from the repository root installs it"
            + " (build/test-prerequisites.sh runs 'npm ci' there); elsewhere (an IDE, a build of one module) run"
            + " 'npm ci' at the repository root, or set " + HOME_ENV + " to the folder holding node_modules/dynalite.";
    private static final Path EXECUTABLE = Path.of("node_modules", ".bin", "dynalite");
    private static final Path PACKAGE = Path.of("node_modules", "dynalite");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final ChildServer server;

    private EmbeddedDynalite(ChildServer server) {
        this.server = server;
    }

    /** Starts the dynalite found by {@link #findDynalite()}. */
    public static EmbeddedDynalite start() {
        return start(findDynalite().orElseThrow(() -> new IllegalStateException(INSTALL_HINT)));
    }

    /** Starts the given dynalite executable and returns once its port accepts connections. */
    public static EmbeddedDynalite start(Path executable) {
        return new EmbeddedDynalite(ChildServer.start(executable.toString(), port -> spawn(executable, port),
                EmbeddedDynalite::listening, START_TIMEOUT));
    }

    /** {@code $DYNALITE_HOME/node_modules/.bin/dynalite}, else the first one in a folder above the working dir. */
    public static Optional<Path> findDynalite() {
        String home = System.getenv(HOME_ENV);
        if (home != null && !home.isBlank()) {
            return Optional.of(Path.of(home).resolve(EXECUTABLE)).filter(Files::isExecutable);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(PACKAGE)) && Files.isExecutable(dir.resolve(EXECUTABLE))) {
                return Optional.of(dir.resolve(EXECUTABLE));
            }
        }
        return Optional.empty();
    }

    public int port() {
        return server.port();
    }

    /** The endpoint to give a DynamoDB client ({@code endpointOverride}). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** Stops the server (SIGTERM, then SIGKILL after a grace period). Safe to call twice. */
    @Override
    public void close() {
        server.stop();
    }

    // In memory (no --path); tables become ACTIVE at once instead of after dynalite's default 500 ms.
    private static ChildServer spawn(Path executable, int port) {
        Path log;
        try {
            log = Files.createTempFile("dynalite-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a log file for dynalite", e);
        }
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--createTableMs", "0", "--deleteTableMs", "0",
                "--updateTableMs", "0");
        return new ChildServer("embedded-dynalite", builder, port, log, () -> deleteQuietly(log));
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void deleteQuietly(Path log) {
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A leftover log in the temp folder is harmless.
        }
    }
}
