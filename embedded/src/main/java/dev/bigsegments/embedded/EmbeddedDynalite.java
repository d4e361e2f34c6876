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
import java.util.concurrent.TimeUnit;

/**
 * A throw-away dynalite (a DynamoDB-API server from npm, in memory) child process on a free loopback
 * port. dynalite is found in {@code $DYNALITE_HOME/node_modules/.bin/dynalite}, else in the nearest
 * {@code node_modules} above the working directory. A JVM shutdown hook kills it if {@link #close()} is
 * never called.
 */
public final class EmbeddedDynalite implements AutoCloseable {
    /** Folder holding {@code node_modules/dynalite}, when not found above the working directory. */
    public static final String HOME_ENV = "DYNALITE_HOME";
    static final String INSTALL_HINT = "dynalite was not found: run 'npm install' (or 'npm install dynalite')"
            + " at the repository root, or set " + HOME_ENV + " to the folder holding node_modules/dynalite.";
    private static final Path EXECUTABLE = Path.of("node_modules", ".bin", "dynalite");
    private static final Path PACKAGE = Path.of("node_modules", "dynalite");
    private static final int ATTEMPTS = 3;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Process process;
    private final int port;
    private final Path log;
    private final Thread shutdownHook;

    private EmbeddedDynalite(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.shutdownHook = new Thread(process::destroyForcibly, "embedded-dynalite-reaper-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the dynalite found by {@link #findDynalite()}. */
    public static EmbeddedDynalite start() {
        return start(findDynalite().orElseThrow(() -> new IllegalStateException(INSTALL_HINT)));
    }

    /** Starts the given dynalite executable and returns once its port accepts connections. */
    public static EmbeddedDynalite start(Path executable) {
        String lastLog = "";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            EmbeddedDynalite dynalite = spawn(executable, FreePorts.next());
            if (dynalite.awaitListening()) {
                return dynalite;
            }
            lastLog = dynalite.logText();
            dynalite.close();
        }
        throw new IllegalStateException(executable + " did not listen after " + ATTEMPTS + " attempts. Its output:\n"
                + lastLog);
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
        return port;
    }

    /** The endpoint to give a DynamoDB client ({@code endpointOverride}). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
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
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: nothing to remove.
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A leftover log in the temp folder is harmless.
        }
    }

    // In memory (no --path); tables become ACTIVE at once instead of after dynalite's default 500 ms.
    private static EmbeddedDynalite spawn(Path executable, int port) {
        try {
            Path log = Files.createTempFile("dynalite-", ".log");
            ProcessBuilder builder = new ProcessBuilder(executable.toString(), "--host", "127.0.0.1",
                    "--port", String.valueOf(port), "--createTableMs", "0", "--deleteTableMs", "0",
                    "--updateTableMs", "0")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            return new EmbeddedDynalite(builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + executable + ". " + INSTALL_HINT, e);
        }
    }

    private boolean awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                pause();
            }
        }
        return false;
    }

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for dynalite", e);
        }
    }
}
