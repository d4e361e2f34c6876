package dev.bigsegments.ingest.auth;

import dev.bigsegments.support.PipelineConfig;
import dev.bigsegments.support.PipelineConfig.EnvironmentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;

/** Looks environments up by project and environment key (REST paths) or by id (tool payloads). */
@ApplicationScoped
public class Environments {
    @Inject
    PipelineConfig config;

    public Optional<Map.Entry<String, EnvironmentConfig>> byKeys(String projectKey, String environmentKey) {
        return config.environments().entrySet().stream()
                .filter(e -> e.getValue().projectKey().equals(projectKey)
                        && e.getValue().environmentKey().equals(environmentKey))
                .findFirst();
    }

    public Optional<Map.Entry<String, EnvironmentConfig>> byId(String environmentId) {
        return config.environments().entrySet().stream()
                .filter(e -> e.getValue().id().equals(environmentId)).findFirst();
    }
}
