package dev.bigsegments.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRedisTest {

    @Test
    void answersCommandsOnItsPortUntilClosed() throws IOException {
        EmbeddedRedis redis = EmbeddedRedis.start();
        try {
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(send(redis.port(), "PING", 1)).containsExactly("+PONG");
            assertThat(send(redis.port(), "CONFIG GET save", 5)).containsExactly("*2", "$4", "save", "$0", "");
        } finally {
            redis.close();
        }

        assertThat(redis.isRunning()).isFalse();
        assertThatThrownBy(() -> send(redis.port(), "PING", 1)).isInstanceOf(ConnectException.class);
    }

    @Test
    void twoServersGetTheirOwnPorts() {
        try (EmbeddedRedis first = EmbeddedRedis.start(); EmbeddedRedis second = EmbeddedRedis.start()) {
            assertThat(first.port()).isNotEqualTo(second.port());
            assertThat(RespPing.answers(first.port())).isTrue();
            assertThat(RespPing.answers(second.port())).isTrue();
        }
    }

    @Test
    void aServerNeverClosedDiesWithItsJvm() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), RedisLeftRunning.class.getName())
                .redirectErrorStream(true)
                .start();
        int port;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.US_ASCII))) {
            port = Integer.parseInt(out.readLine().trim());
        }
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> !RespPing.answers(port));
    }

    @Test
    void findsTheInstalledServer() {
        assertThat(EmbeddedRedis.findRedisServer()).hasValueSatisfying(p -> assertThat(p).isExecutable());
    }

    @Test
    void aMissingBinaryFailsWithItsPath() {
        assertThatThrownBy(() -> EmbeddedRedis.start(Path.of("/nonexistent/redis-server")))
                .hasMessageContaining("/nonexistent/redis-server");
    }

    @Test
    void aDurableServerOfTheBundledBuildKeepsItsDataAcrossAKill(@TempDir Path unpackDir) throws IOException {
        Path bundled = RedisServerBinary.find("", System.getProperty("os.name"), System.getProperty("os.arch"),
                unpackDir).orElseThrow().path();
        try (EmbeddedRedis redis = EmbeddedRedis.startDurable(bundled)) {
            assertThat(send(redis.port(), "SET kept yes", 1)).containsExactly("+OK");

            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            redis.restart();

            assertThat(send(redis.port(), "GET kept", 2)).containsExactly("$3", "yes");
            assertThat(send(redis.port(), "CONFIG GET appendonly", 5)).containsExactly("*2", "$10", "appendonly",
                    "$3", "yes");
        }
    }

    // Inline command syntax keeps this check independent of the RESP encoder under test.
    private static List<String> send(int port, String command, int replyLines) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < replyLines; i++) {
                lines.add(in.readLine());
            }
            return lines;
        }
    }
}
