package dev.bigsegments.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bigsegments.ingest.IngestConfig;
import dev.bigsegments.ingest.body.JsonLimits;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Applies the JSON limits to the service's one {@link ObjectMapper}, which reads every request body: the
 * REST endpoints' and the synced endpoint's stream.
 */
@Singleton
public class JsonMapperSetup implements ObjectMapperCustomizer {
    @Inject
    IngestConfig config;

    @Override
    public void customize(ObjectMapper mapper) {
        IngestConfig.Json json = config.json();
        new JsonLimits(json.maxNestingDepth(), json.maxStringLength(), json.maxNumberLength()).applyTo(mapper);
    }
}
