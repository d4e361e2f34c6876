package dev.bigsegments.standalone;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.embedded.RedisServerBinary;
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
 * producers outside the process on {@code --registry-port}), a Redis ({@code --redis-url}, else a
 * {@code redis-server} from PATH, else the one bundled for this platform, each started on a free port) and the
 * three services in this process.
 */
@QuarkusMain
public class StandaloneMain implements QuarkusApplication {
    static final String TOKEN_PROPERTY = "bigsegments.ingest.tokens.standalone.secret";
    /** Where the Redis store comes from, for the banner. */
    private static String redisSource;

    public static void main(String... args) throws Exception {
        StandaloneOptions options = StandaloneOptions.parse(args);
        // Quarkus configures logging only once it starts; until then keep the clients' INFO lines out.
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.WARNING);
        Path data = options.dataDir();
        Files.createDirectories(data);
        // Redis first: a machine that has none stops here, before a broker is started for nothing.
        Optional<RedisServerBinary> redisServer = options.redisUrl().isPresent() ? Optional.empty()
                : Optional.of(redisServer(data.resolve("redis")));
        EmbeddedKafka kafka = options.kafkaBootstrapServers().isPresent() ? null
                : EmbeddedKafka.start(data.resolve("kafka"));
        String bootstrap = kafka == null ? options.kafkaBootstrapServers().get() : kafka.bootstrapServers();
        EmbeddedRedis redis = redisServer.map(server -> EmbeddedRedis.start(server.path())).orElse(null);
        String redisUrl = redis == null ? options.redisUrl().get() : redis.uri();
        redisSource = redisServer.map(RedisServerBinary::toString).orElse("the Redis given with --redis-url");
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

    /** The redis-server to start: on PATH, else the bundled one unpacked into {@code unpackDir} (once). */
    private static RedisServerBinary redisServer(Path unpackDir) {
        try {
            return RedisServerBinary.find(unpackDir).orElseThrow(
                    () -> new IllegalStateException("No Redis to write to. " + RedisServerBinary.installHint()));
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    @Override
    public int run(String... args) {
        Banner.print(redisSource);
        Quarkus.waitForExit();
        return 0;
    }
}
