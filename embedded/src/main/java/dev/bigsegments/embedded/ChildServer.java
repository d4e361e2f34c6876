package dev.bigsegments.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * A server run as a child process on a loopback port, its output in a log file: started on fresh
 * ports until one is ready, stopped with SIGTERM then SIGKILL, and killed by a shutdown hook if the
 * JVM exits first, so no test leaves a server behind.
 */
final class ChildServer {
    // A port can be taken between probing and binding; a fresh port on retry settles it.
    private static final int ATTEMPTS = 3;
    private static final int TAIL_LINES = 20;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Process process;
    private final int port;
    private final Path log;
    private final Runnable cleanup;
    private final Thread shutdownHook;

    /** @param cleanup removes what the server left on disk (its log included); run once it stopped */
    ChildServer(String name, ProcessBuilder builder, int port, Path log, Runnable cleanup) {
        try {
            this.process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            cleanup.run();
            throw new UncheckedIOException("Cannot run " + builder.command().get(0), e);
        }
        this.port = port;
        this.log = log;
        this.cleanup = cleanup;
        this.shutdownHook = new Thread(() -> {
            process.destroyForcibly();
            cleanup.run();
        }, name + "-reaper-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Spawns on fresh ports until {@code ready} holds for the server's port within {@code timeout}. */
    static ChildServer start(String what, IntFunction<ChildServer> spawn, IntPredicate ready, Duration timeout) {
        String lastOutput = "";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ChildServer server = spawn.apply(FreePorts.next());
            if (server.awaitReady(ready, timeout)) {
                return server;
            }
            lastOutput = server.outputTail();
            server.stop();
        }
        throw new IllegalStateException(what + " was not ready after " + ATTEMPTS + " attempts. Its last output:\n"
                + lastOutput);
    }

    /** Spawns on {@code port} (a restart takes the port it had) and waits until {@code ready} holds. */
    static ChildServer startOn(String what, int port, IntFunction<ChildServer> spawn, IntPredicate ready,
            Duration timeout) {
        ChildServer server = spawn.apply(port);
        if (!server.awaitReady(ready, timeout)) {
            String output = server.outputTail();
            server.stop();
            throw new IllegalStateException(what + " was not ready on port " + port + ". Its last output:\n" + output);
        }
        return server;
    }

    int port() {
        return port;
    }

    /** SIGKILL, as a crash: no shutdown, and what the server keeps on disk stays for a restart. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down
        }
    }

    boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the server (SIGTERM, then SIGKILL after a grace period) and cleans up. Safe to call twice. */
    void stop() {
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
            // The JVM is already shutting down (stop() called from another hook): nothing to remove.
        }
        cleanup.run();
    }

    private boolean awaitReady(IntPredicate ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (ready.test(port)) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for a server to start", e);
            }
        }
        return false;
    }

    /** The last lines the server printed, to explain a failed start. */
    private String outputTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
