package dev.bigsegments.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bigsegments.schemas.avro.MembershipState;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS to a registry whose certificate comes from a private CA: trusted only through the configured trust store. */
class RegistryTlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    @Test
    void theClientTrustsTheConfiguredTrustStoreAndNothingElse() throws Exception {
        Path serverKeys = dir.resolve("server.p12");
        Path trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", serverKeys.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "registry", "-keystore", serverKeys.toString(), "-storepass", PASSWORD,
                "-file", dir.resolve("server.crt").toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", dir.resolve("server.crt").toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        String scope = "tls-" + UUID.randomUUID();
        try (RegistryEndpoint endpoint = RegistryEndpoint.start(InProcessSchemaRegistry.scope(scope),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), serverContext(serverKeys), h -> true)) {
            String url = "https://127.0.0.1:" + endpoint.port();
            var trusting = new ConfluentRestSchemaRegistryClient(RegistryConfig.fromMap(Map.of(RegistryConfig.URL, url,
                    RegistryConfig.TRUSTSTORE_LOCATION, trustStore.toString(), RegistryConfig.TRUSTSTORE_PASSWORD, PASSWORD)));
            var defaultTrust = new ConfluentRestSchemaRegistryClient(new RegistryConfig(url, null, null, true));

            int id = trusting.register("s-value", MembershipState.getClassSchema());

            assertThat(InProcessSchemaRegistry.scope(scope).getById(id)).isEqualTo(MembershipState.getClassSchema());
            assertThatThrownBy(() -> defaultTrust.getById(id)).isInstanceOfSatisfying(SchemaRegistryException.class,
                    e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE));
        } finally {
            InProcessSchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void anUnreadableTrustStoreIsAClearConfigurationError() {
        assertThatThrownBy(() -> new ConfluentRestSchemaRegistryClient(RegistryConfig.fromMap(Map.of(
                RegistryConfig.URL, "https://127.0.0.1:1", RegistryConfig.TRUSTSTORE_LOCATION, dir.resolve("none.p12").toString()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none.p12").hasMessageContaining(RegistryConfig.TRUSTSTORE_LOCATION);
    }

    private static SSLContext serverContext(Path keys) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
