package dev.bigsegments.writer.service;

import dev.bigsegments.support.PipelineConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Refuses to start when two environments would write the same place of one store: SDKs of both would read
 * one set of memberships, and each environment's stamp would vouch for the other's data.
 */
final class SharedTargets {
    private SharedTargets() {
    }

    /**
     * @param where the place an environment writes (given its name and settings), as the message shows it
     */
    static void refuse(PipelineConfig pipeline, BiFunction<String, PipelineConfig.EnvironmentConfig, String> where) {
        Map<String, String> owners = new HashMap<>();
        pipeline.environments().forEach((name, environment) -> {
            String place = where.apply(name, environment);
            String other = owners.putIfAbsent(place, name);
            if (other != null) {
                throw new IllegalStateException("environments '" + other + "' and '" + name + "' both write " + place
                        + ": give each its own bigsegments.environments.<name>.store-prefix (or, for DynamoDB, its"
                        + " own table)");
            }
        });
    }
}
