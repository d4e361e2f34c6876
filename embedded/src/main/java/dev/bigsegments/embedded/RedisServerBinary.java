package dev.bigsegments.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code redis-server} to run, its version and where it came from. One on PATH wins (Debian's or Homebrew's,
 * a newer Redis); else the Redis 6.2 build bundled for this platform ({@link BundledRedis}), unpacked once into a
 * folder. "On PATH" means the PATH environment variable alone, as a shell's {@code command -v} sees it: no other
 * folder is searched, so a machine without Redis on PATH behaves the same everywhere.
 */
public final class RedisServerBinary {
    static final String NAME = "redis-server";
    static final String HOW_TO_INSTALL = "Install redis-server ('apt-get install -y redis-server' on Debian/Ubuntu,"
            + " 'brew install redis' on macOS) so that it is on PATH, or pass --redis-url redis://host:6379 to use"
            + " an existing Redis.";
    private static final Pattern VERSION = Pattern.compile("\\bv=(\\S+)");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);
    private static Optional<RedisServerBinary> forThisJvm;

    private final Path path;
    private final String version;
    private final String origin;

    private RedisServerBinary(Path path, String version, String origin) {
        this.path = path;
        this.version = version;
        this.origin = origin;
    }

    /**
     * The {@code redis-server} on PATH, else the bundled build unpacked into {@code unpackDir} (kept there for the
     * next run); empty when there is neither.
     *
     * @throws IllegalStateException when the binary found does not run here
     */
    public static Optional<RedisServerBinary> find(Path unpackDir) {
        return find(System.getenv().getOrDefault("PATH", ""), System.getProperty("os.name"),
                System.getProperty("os.arch"), unpackDir);
    }

    static Optional<RedisServerBinary> find(String pathVariable, String osName, String osArch, Path unpackDir) {
        Optional<Path> onPath = onPath(pathVariable);
        if (onPath.isPresent()) {
            return Optional.of(probe(onPath.get(), "on PATH"));
        }
        return BundledRedis.buildFor(osName, osArch)
                .map(build -> probe(BundledRedis.unpack(build, unpackDir), "bundled in " + BundledRedis.artifact()));
    }

    /** What {@link #find} gives this JVM's servers, a bundled build unpacked into a folder removed at exit. */
    static synchronized Optional<RedisServerBinary> forThisJvm() {
        if (forThisJvm == null) {
            Path dir = Directories.createTemp("redis-server-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Directories.deleteQuietly(dir), "redis-server-cleanup"));
            forThisJvm = find(dir);
        }
        return forThisJvm;
    }

    /** Says what to do where {@link #find} found nothing. */
    public static String installHint() {
        return NAME + " was not found on PATH, and no Redis is bundled for " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + " (only for " + BundledRedis.PLATFORMS + "). " + HOW_TO_INSTALL;
    }

    static Optional<Path> onPath(String pathVariable) {
        return Arrays.stream(pathVariable.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).resolve(NAME))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst();
    }

    public Path path() {
        return path;
    }

    /** As the server reports it, e.g. {@code 7.0.15}. */
    public String version() {
        return version;
    }

    /** {@code on PATH}, or {@code bundled in embedded-redis 1.4.3}. */
    public String origin() {
        return origin;
    }

    /** E.g. {@code Redis 6.2.11 (bundled in embedded-redis 1.4.3: /data/redis/redis-server-6.2.6-v5-linux-amd64)}. */
    @Override
    public String toString() {
        return "Redis " + version + " (" + origin + ": " + path + ")";
    }

    // Running "--version" also proves the binary runs here (a missing shared library shows at once, not as a
    // server that never answers).
    private static RedisServerBinary probe(Path binary, String origin) {
        String output;
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            if (!process.waitFor(VERSION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(binary + " --version did not answer within " + VERSION_TIMEOUT);
            }
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + binary + " (" + origin + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + binary + " --version", e);
        }
        Matcher version = VERSION.matcher(output);
        if (!version.find()) {
            throw new IllegalStateException(binary + " (" + origin + ") does not run here: " + output + "\n"
                    + HOW_TO_INSTALL);
        }
        return new RedisServerBinary(binary, version.group(1), origin);
    }
}
