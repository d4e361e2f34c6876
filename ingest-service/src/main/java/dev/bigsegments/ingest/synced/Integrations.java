package dev.bigsegments.ingest.synced;

import dev.bigsegments.ingest.IngestConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The integration descriptors, loaded and validated at start: the built-in ones, then those of
 * {@code bigsegments.ingest.synced.descriptor-directory}. An invalid file stops the service.
 */
@ApplicationScoped
public class Integrations {
    private static final Logger LOG = Logger.getLogger(Integrations.class);

    @Inject
    IngestConfig ingest;

    private volatile Map<String, IntegrationDescriptor> descriptors = Map.of();

    void onStart(@Observes StartupEvent event) {
        Map<String, IntegrationDescriptor> loaded = new TreeMap<>(
                DescriptorLoader.fromClasspath(Thread.currentThread().getContextClassLoader()));
        ingest.synced().descriptorDirectory().map(Path::of).map(DescriptorLoader::fromDirectory).ifPresent(loaded::putAll);
        if (loaded.isEmpty()) {
            throw new IllegalStateException("no integration descriptor found in the classpath folder "
                    + DescriptorLoader.CLASSPATH_FOLDER);
        }
        descriptors = Map.copyOf(loaded);
        LOG.debugf("synced-segment integrations: %s", descriptors.keySet());
    }

    public Optional<IntegrationDescriptor> get(String integrationKey) {
        return Optional.ofNullable(descriptors.get(integrationKey));
    }
}
