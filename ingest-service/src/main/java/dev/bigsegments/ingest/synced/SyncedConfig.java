package dev.bigsegments.ingest.synced;

import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** Settings of the synced-segment endpoint (bigsegments.ingest.synced.*), a group of IngestConfig. */
public interface SyncedConfig {
    /** Largest accepted request body; past it the answer is 413. */
    @WithDefault("16777216")
    long maxBodyBytes();

    /** Requests per second each token may send (token bucket, bursts up to one second's worth). */
    @WithDefault("50")
    double requestsPerSecond();

    /** Per-token overrides of requests-per-second, by token name (keys of bigsegments.ingest.tokens). */
    Map<String, Double> tokenRates();

    /** Cohorts mapped to existing segments: {@code "<integrationKey>/<cohortId>" = segmentKey}. */
    Map<String, String> mappings();

    /** An extra folder of descriptors ({@code <integrationKey>.json}), read after the built-in ones. */
    Optional<String> descriptorDirectory();

    /** Members per published command; a larger cohort change is split into ordered commands. */
    @WithDefault("10000")
    int membersPerCommand();
}
