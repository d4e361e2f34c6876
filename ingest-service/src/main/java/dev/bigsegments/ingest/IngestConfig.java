package dev.bigsegments.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The ingest service's settings (bigsegments.ingest.*). */
@ConfigMapping(prefix = "bigsegments.ingest")
public interface IngestConfig {

    /** API tokens by name. */
    Map<String, Token> tokens();

    Csv csv();

    /** The synced-segment endpoint (bigsegments.ingest.synced.*). */
    dev.bigsegments.ingest.synced.SyncedConfig synced();

    /** The schema registry endpoint (bigsegments.ingest.registry-endpoint.*). */
    dev.bigsegments.ingest.registry.RegistryEndpointConfig registryEndpoint();

    /** Where uploaded files wait while they are streamed to Kafka. */
    @WithDefault("${java.io.tmpdir}/bigsegments-imports")
    String importDirectory();

    /** How long a request waits for the pipeline to confirm a segment change before answering. */
    @WithDefault("15s")
    Duration confirmTimeout();

    interface Token {
        /** The secret sent in the Authorization header. */
        String secret();

        /** Environment names (keys of bigsegments.environments) this token may use; "*" for all. */
        List<String> environments();
    }

    interface Csv {
        @WithDefault("256")
        int maxKeyBytes();

        @WithDefault("10000000")
        long maxKeys();

        @WithDefault("1000")
        long maxRejectedRows();

        /** Upload size limit in bytes (the HTTP body limit is set from this too). */
        @WithDefault("2147483648")
        long maxFileBytes();

        /** Keys per Kafka record. */
        @WithDefault("5000")
        int chunkSize();
    }
}
