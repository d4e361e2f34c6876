package dev.bigsegments.standalone;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The whole pipeline on one machine: an embedded KRaft broker, the in-process schema registry (served to
 * producers outside the process on {@code --registry-port}), a Redis (a {@code redis-server} from PATH on a free port, or {@code --redis-url}) and the three
 * services in this process.
 */
@QuarkusMain
public class StandaloneMain implements QuarkusApplication {
    static final String TOKEN_PROPERTY = "bigsegments.ingest.tokens.standalone.secret";

    public static void main(String... args) throws Exception {
        StandaloneOptions options = StandaloneOptions.parse(args);
        // Quarkus configures logging only once it starts; until then keep the clients' INFO lines out.
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.WARNING);
        Path data = options.dataDir();
        Files.createDirectories(data);
        EmbeddedKafka kafka = options.kafkaBootstrapServers().isPresent() ? null
                : EmbeddedKafka.start(data.resolve("kafka"));
        String bootstrap = kafka == null ? options.kafkaBootstrapServers().get() : kafka.bootstrapServers();
        AutoCloseable redis = null;
        String redisUrl = options.redisUrl().orElse(null);
        if (redisUrl == null) {
            Optional<Path> server = EmbeddedRedis.findRedisServer();
            if (server.isEmpty()) {
                System.err.println("No Redis to write to. Install one (apt-get install -y redis-server, or brew"
                        + " install redis) so redis-server is on PATH, or pass --redis-url redis://host:6379.");
                if (kafka != null) {
                    kafka.close();
                }
                System.exit(2);
            }
            EmbeddedRedis embedded = EmbeddedRedis.start();
            redis = embedded;
            redisUrl = embedded.uri();
        }
        System.setProperty("bigsegments.kafka.bootstrap-servers", bootstrap);
        System.setProperty("bigsegments.writer.redis.uri", redisUrl);
        System.setProperty("bigsegments.processor.state-dir", data.resolve("processor").toString());
        System.setProperty("quarkus.http.port", String.valueOf(options.port()));
        System.setProperty("quarkus.management.port", String.valueOf(options.managementPort()));
        System.setProperty("bigsegments.ingest.registry-endpoint.port", String.valueOf(options.registryPort()));
        if (System.getProperty(TOKEN_PROPERTY) == null && System.getenv("BIGSEGMENTS_INGEST_TOKENS_STANDALONE_SECRET") == null) {
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            System.setProperty(TOKEN_PROPERTY, "bs-" + HexFormat.of().formatHex(secret));
        }
        try {
            Quarkus.run(StandaloneMain.class, args);
        } finally {
            if (redis != null) {
                redis.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    @Override
    public int run(String... args) {
        Banner.print();
        Quarkus.waitForExit();
        return 0;
    }
}
