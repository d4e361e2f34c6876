package dev.bigsegments.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The redis-server builds shipped inside the {@code com.github.codemonstur:embedded-redis} jar (Redis 6.2), one per
 * platform, and their unpacking into a folder where they can be executed.
 */
final class BundledRedis {
    /** The platforms with a build in the jar: {@code os/arch} as {@link #platform} names them, to its resource. */
    static final Map<String, String> BUILDS = Map.of(
            "linux/amd64", "redis-server-6.2.6-v5-linux-amd64",
            "linux/arm64", "redis-server-6.2.7-linux-arm64",
            "macos/amd64", "redis-server-6.2.6-v5-darwin-amd64",
            "macos/arm64", "redis-server-6.2.6-v5-darwin-arm64");
    static final String PLATFORMS = "Linux and macOS on amd64 and arm64";
    private static final String POM_PROPERTIES =
            "/META-INF/maven/com.github.codemonstur/embedded-redis/pom.properties";

    private BundledRedis() {
    }

    /** The build for a JVM's {@code os.name} and {@code os.arch}, if the jar carries one. */
    static Optional<String> buildFor(String osName, String osArch) {
        return Optional.ofNullable(BUILDS.get(platform(osName, osArch)));
    }

    /** {@code linux/amd64}, {@code macos/arm64}, ...: the JVM's names brought to one spelling. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        os = os.startsWith("mac") ? "macos" : os;
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> osArch;
        };
        return os + "/" + arch;
    }

    /**
     * Unpacks {@code build} into a folder of {@code dir} named after the artifact's version, unless an earlier run
     * did: the file appears only once complete (written aside, then moved into place), so one that exists can be
     * run as it is, and another version of the artifact gets a folder of its own.
     */
    static Path unpack(String build, Path dir) {
        Path target = Directories.create(dir.resolve(artifact().replace(' ', '-'))).resolve(build);
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = BundledRedis.class.getResourceAsStream("/" + build)) {
            if (in == null) {
                throw new IllegalStateException(build + " is missing from the classpath (" + artifact() + ")");
            }
            return moveIntoPlace(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack the bundled " + build + " into " + dir, e);
        }
    }

    private static Path moveIntoPlace(InputStream in, Path target) throws IOException {
        Path part = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rwx------"));
            return Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** {@code embedded-redis 1.4.3}: the artifact and version the builds come from, as its jar records them. */
    static String artifact() {
        Properties pom = new Properties();
        try (InputStream in = BundledRedis.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                pom.load(in);
            }
        } catch (IOException e) {
            // The version is only shown to people; the name alone still says where the build came from.
        }
        return ("embedded-redis " + pom.getProperty("version", "")).strip();
    }
}
