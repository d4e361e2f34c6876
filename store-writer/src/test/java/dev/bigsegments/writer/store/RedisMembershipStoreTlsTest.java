package dev.bigsegments.writer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.embedded.FreePorts;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.avro.MemberList;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rediss://}: the store speaks TLS to a real redis-server listening only on a TLS port. */
class RedisMembershipStoreTlsTest {
    private static final String ENV = "env";
    private static final String PREFIX = "tls";
    private static final String REF = "seg.g1";
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static Process server;
    private static int port;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSignedCertificate(cert, key);
        port = FreePorts.next();
        server = new ProcessBuilder(EmbeddedRedis.findRedisServer().orElseThrow().toString(),
                "--port", "0", "--tls-port", String.valueOf(port), "--bind", "127.0.0.1",
                "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", cert.toString(), "--tls-auth-clients", "no",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try (RedisMembershipStore probe = store("?verifyPeer=NONE")) {
            await().atMost(Duration.ofSeconds(10)).until(probe::isReachable);
        }
    }

    @AfterAll
    static void stopTlsRedis() throws Exception {
        if (server != null) {
            server.destroyForcibly().waitFor();
        }
    }

    @Test
    void writesOverTls() {
        String hash = ContextHashes.hash("tls-user");
        try (RedisMembershipStore store = store("?verifyPeer=NONE")) {
            assertThat(store.describe()).startsWith("rediss://");
            store.apply(List.of(new SetOp(ENV, hash, MemberList.INCLUDED, REF, true)));
            store.stampSynchronizedOn(ENV, 7L);
        }
        RedisClient client = RedisClient.create();
        RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(port).withSsl(true)
                .withVerifyPeer(SslVerifyMode.NONE).build();
        try (StatefulRedisConnection<String, String> c = client.connect(uri)) {
            assertThat(c.sync().sismember(RedisLayout.forPrefix(PREFIX).includeKey(hash), REF)).isTrue();
            assertThat(c.sync().get(RedisLayout.forPrefix(PREFIX).synchronizedOnKey())).isEqualTo("7");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedByDefault() {
        try (RedisMembershipStore store = store("")) {
            assertThat(store.isReachable()).isFalse();
            assertThatThrownBy(() -> store.stampSynchronizedOn(ENV, 1L))
                    .isInstanceOfSatisfying(StoreWriteException.class, e -> assertThat(e.transientFailure()).isTrue())
                    .hasStackTraceContaining(SSLHandshakeException.class.getName());
        }
    }

    private static RedisMembershipStore store(String query) {
        return RedisMembershipStore.builder().uri("rediss://127.0.0.1:" + port + query).prefixes(Map.of(ENV, PREFIX))
                .commandTimeout(Duration.ofSeconds(5)).build();
    }

    /** A key pair and certificate for 127.0.0.1 made with the JDK's keytool, written as PEM for redis-server. */
    private static void selfSignedCertificate(Path cert, Path key) throws Exception {
        Path store = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "redis", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, PASSWORD.toCharArray());
        }
        Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("redis").getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", ks.getKey("redis", PASSWORD.toCharArray()).getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
