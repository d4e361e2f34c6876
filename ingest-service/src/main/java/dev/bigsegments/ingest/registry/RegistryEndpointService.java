package dev.bigsegments.ingest.registry;

import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.auth.TokenAuthorizer;
import dev.bigsegments.schemas.registry.InProcessSchemaRegistry;
import dev.bigsegments.schemas.registry.RegistryEndpoint;
import dev.bigsegments.support.PipelineConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Serves this process's in-process registry ({@code bigsegments.registry.url=mock://<scope>}) over the
 * Confluent REST API when {@code bigsegments.ingest.registry-endpoint.enabled}, so that direct producers and
 * the other services of a small deployment without a registry share its ids. Requests need an API token.
 */
@ApplicationScoped
public class RegistryEndpointService {
    private static final String MOCK = "mock://";
    private static final Logger LOG = Logger.getLogger(RegistryEndpointService.class);

    @Inject
    IngestConfig config;

    @Inject
    PipelineConfig pipeline;

    @Inject
    TokenAuthorizer tokens;

    private RegistryEndpoint endpoint;

    void onStart(@Observes StartupEvent event) {
        RegistryEndpointConfig settings = config.registryEndpoint();
        if (!settings.enabled()) {
            return;
        }
        String url = pipeline.registry().url().trim();
        if (!url.startsWith(MOCK)) {
            throw new IllegalStateException("bigsegments.ingest.registry-endpoint.enabled=true serves the in-process"
                    + " registry, but bigsegments.registry.url is " + url + ": set it to mock://<scope>, or turn the"
                    + " endpoint off and point producers at that registry");
        }
        try {
            endpoint = RegistryEndpoint.start(InProcessSchemaRegistry.scope(url.substring(MOCK.length())),
                    new InetSocketAddress(settings.host(), settings.port()), null, tokens::accepts);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve the schema registry endpoint on " + settings.host() + ":"
                    + settings.port() + " (bigsegments.ingest.registry-endpoint.port)", e);
        }
        LOG.infof("Schema registry endpoint serving %s on port %d", url, endpoint.port());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** The endpoint's URL on this host, while it serves. */
    public Optional<String> url() {
        return endpoint == null ? Optional.empty() : Optional.of("http://localhost:" + endpoint.port());
    }
}
