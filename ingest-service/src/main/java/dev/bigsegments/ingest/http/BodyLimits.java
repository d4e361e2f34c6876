package dev.bigsegments.ingest.http;

import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.body.BodyLimit;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Each endpoint's body limit, from the settings that name it. */
@ApplicationScoped
public class BodyLimits {
    static final String SERVER_LIMIT = "quarkus.http.limits.max-body-size";

    @Inject
    IngestConfig config;

    /** The HTTP server's own limit, which answers with an empty 413 if it is ever met first. */
    @ConfigProperty(name = SERVER_LIMIT)
    Optional<MemorySize> serverLimit;

    public BodyLimit json() {
        return new BodyLimit(config.json().maxBodyBytes(), "bigsegments.ingest.json.max-body-bytes");
    }

    public BodyLimit csvUpload() {
        return new BodyLimit(config.csv().maxFileBytes(), "bigsegments.ingest.csv.max-file-bytes");
    }

    public BodyLimit synced() {
        return new BodyLimit(config.synced().maxBodyBytes(), "bigsegments.ingest.synced.max-body-bytes");
    }

    BodyLimit of(Endpoint endpoint) {
        return switch (endpoint) {
            case IMPORT -> csvUpload();
            case SYNCED -> synced();
            case OPEN, PAGE, API -> json();
        };
    }

    /**
     * The guard answers every limit itself, in JSON, before the server's own check (an empty 413) could:
     * so the server's limit must be at least every one of them. application.properties sets it to the
     * CSV limit, and the server's multipart parser then bounds a chunked upload by it.
     */
    void check(@Observes StartupEvent event) {
        long server = serverLimit.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        for (BodyLimit limit : new BodyLimit[] {json(), synced(), csvUpload()}) {
            if (limit.bytes() > server) {
                throw new IllegalStateException(limit.setting() + " (" + limit.bytes() + ") is larger than "
                        + SERVER_LIMIT + " (" + server + "): set " + SERVER_LIMIT + " to at least " + limit.bytes());
            }
        }
    }
}
