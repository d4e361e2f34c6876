package dev.bigsegments.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerBinaryTest {
    private static final String OS = System.getProperty("os.name");
    private static final String ARCH = System.getProperty("os.arch");

    @TempDir
    Path unpackDir;
    @TempDir
    Path pathDir;

    @Test
    void withNoRedisServerOnPathTheBundledBuildIsUnpackedOnceAndRuns() throws IOException {
        RedisServerBinary first = RedisServerBinary.find("", OS, ARCH, unpackDir).orElseThrow();
        FileTime unpackedAt = Files.getLastModifiedTime(first.path());

        RedisServerBinary second = RedisServerBinary.find("", OS, ARCH, unpackDir).orElseThrow();

        assertThat(first.origin()).matches("bundled in embedded-redis \\d+\\.\\d+\\.\\d+");
        assertThat(first.version()).startsWith("6.2.");
        assertThat(first.path().getParent().getParent()).isEqualTo(unpackDir);
        assertThat(first.path().getParent().getFileName()).hasToString(first.origin().replace("bundled in ", "")
                .replace(' ', '-'));
        assertThat(first.toString()).isEqualTo("Redis " + first.version() + " (" + first.origin() + ": "
                + first.path() + ")");
        assertThat(second.path()).isEqualTo(first.path());
        assertThat(Files.getLastModifiedTime(second.path())).isEqualTo(unpackedAt);
        try (var files = Files.walk(unpackDir)) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(first.path());
        }
    }

    @Test
    void aRedisServerOnPathWinsOverTheBundledBuild() throws IOException {
        Path bundled = RedisServerBinary.find("", OS, ARCH, unpackDir).orElseThrow().path();
        Path onPath = Files.createSymbolicLink(pathDir.resolve("redis-server"), bundled);

        RedisServerBinary found = RedisServerBinary.find("/nonexistent:" + pathDir, OS, ARCH, pathDir.resolve("x"))
                .orElseThrow();

        assertThat(found.path()).isEqualTo(onPath);
        assertThat(found.origin()).isEqualTo("on PATH");
        assertThat(pathDir.resolve("x")).doesNotExist();
    }

    @Test
    void onlyThePathVariableIsSearched() {
        assertThat(RedisServerBinary.onPath("")).isEmpty();
        assertThat(RedisServerBinary.onPath("/nonexistent")).isEmpty();
    }

    @Test
    void aPlatformWithoutABuildAndNoRedisServerOnPathHasNone() {
        assertThat(RedisServerBinary.find("", "FreeBSD", "amd64", unpackDir)).isEmpty();
        assertThat(unpackDir).isEmptyDirectory();
        assertThat(RedisServerBinary.installHint()).contains("apt-get install -y redis-server")
                .contains("brew install redis").contains("--redis-url").contains(BundledRedis.PLATFORMS);
    }

    @Test
    void aRedisServerThatDoesNotRunSaysWhatToDo() throws IOException {
        Path fake = pathDir.resolve("redis-server");
        Files.writeString(fake, "#!/bin/sh\necho 'cannot open shared object file'\nexit 127\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));

        assertThatThrownBy(() -> RedisServerBinary.find(pathDir.toString(), OS, ARCH, unpackDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(fake + " (on PATH) does not run here: cannot open shared object file")
                .hasMessageContaining("apt-get install -y redis-server");
    }

    @Test
    void theJvmsPlatformNamesMapToTheBuilds() {
        assertThat(BundledRedis.buildFor("Linux", "amd64")).hasValue("redis-server-6.2.6-v5-linux-amd64");
        assertThat(BundledRedis.buildFor("Linux", "aarch64")).hasValue("redis-server-6.2.7-linux-arm64");
        assertThat(BundledRedis.buildFor("Mac OS X", "x86_64")).hasValue("redis-server-6.2.6-v5-darwin-amd64");
        assertThat(BundledRedis.buildFor("Mac OS X", "aarch64")).hasValue("redis-server-6.2.6-v5-darwin-arm64");
        assertThat(BundledRedis.buildFor("Windows 11", "amd64")).isEmpty();
        assertThat(BundledRedis.buildFor("Linux", "x86")).isEmpty();
    }

    @Test
    void everyBuildNamedIsInTheJar() {
        assertThat(BundledRedis.BUILDS.values())
                .allSatisfy(build -> assertThat(BundledRedis.class.getResource("/" + build)).as(build).isNotNull());
    }
}
