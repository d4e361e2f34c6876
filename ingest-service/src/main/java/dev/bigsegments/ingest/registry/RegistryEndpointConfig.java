package dev.bigsegments.ingest.registry;

import io.smallrye.config.WithDefault;

/** The schema registry endpoint this service can serve (bigsegments.ingest.registry-endpoint.*). */
public interface RegistryEndpointConfig {
    /** Off by default: deployments with a registry of their own point every client at that one. */
    @WithDefault("false")
    boolean enabled();

    /** Confluent Schema Registry's usual port. */
    @WithDefault("8081")
    int port();

    @WithDefault("0.0.0.0")
    String host();
}
