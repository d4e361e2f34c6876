package dev.bigsegments.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ingest service's settings (bigsegments.ingest.*). */
@ConfigMapping(prefix = "bigsegments.ingest")
public interface IngestConfig {

    /** API tokens by name. */
    Map<String, Token> tokens();

    Csv csv();

    /** JSON request bodies (bigsegments.ingest.json.*). */
    Json json();

    /** Refusing clients that keep sending bad tokens (bigsegments.ingest.auth.*). */
    Auth auth();

    /** {@code POST .../contexts} (bigsegments.ingest.contexts.*). */
    Contexts contexts();

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

    /**
     * The stream processor's API address ({@code http://stream-processor:8080}), asked for memberships and
     * member counts where the two run apart. Unset where they run in one process (the standalone run).
     */
    Optional<String> processorUrl();

    /** Looking up many context keys at once ({@code POST .../contexts/lookup}). */
    Lookup lookup();

    /** The pipeline status ({@code GET /status}, the status page and the bigsegments_pipeline_* metrics). */
    Status status();

    interface Lookup {
        /** Context keys per lookup request; 400 past it. */
        @WithDefault("1000")
        int maxKeys();
    }

    interface Status {
        /** The stream processor's application id, whose lag the status shows. */
        @WithDefault("bigsegments-processor")
        String processorApplicationId();

        /** How often the status behind the metrics is refreshed. */
        @WithDefault("10s")
        Duration refreshInterval();

        /** Dead letters the status lists, newest first. */
        @WithDefault("20")
        int recentDeadLetters();
    }

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

        /**
         * Upload size limit in bytes, for the whole multipart body; also the HTTP server's own body limit
         * ({@code quarkus.http.limits.max-body-size} is set from it), which bounds a chunked upload.
         */
        @WithDefault("2147483648")
        long maxFileBytes();

        /** Keys per Kafka record. */
        @WithDefault("5000")
        int chunkSize();
    }

    interface Json {
        /** Largest JSON body of the REST endpoints (create segment, contexts); 413 past it. */
        @WithDefault("4194304")
        long maxBodyBytes();

        /** Deepest nesting of arrays and objects in any JSON body (REST and synced). */
        @WithDefault("64")
        int maxNestingDepth();

        /** Longest string in any JSON body, in characters. */
        @WithDefault("1048576")
        int maxStringLength();

        /** Longest number in any JSON body, in characters. */
        @WithDefault("100")
        int maxNumberLength();
    }

    interface Auth {
        /** Requests with a missing or unknown token one client address may send per window; 429 past it. 0 disables. */
        @WithDefault("20")
        int maxFailures();

        @WithDefault("1m")
        Duration failureWindow();
    }

    interface Contexts {
        /** Members per Kafka command; a larger contexts request is split into ordered commands. */
        @WithDefault("10000")
        int membersPerCommand();
    }
}
