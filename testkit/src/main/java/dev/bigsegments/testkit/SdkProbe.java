package dev.bigsegments.testkit;

import com.launchdarkly.logging.LogCapture;
import com.launchdarkly.logging.Logs;
import com.launchdarkly.sdk.EvaluationDetail;
import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.LDValue;
import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.FileData;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A real LaunchDarkly {@link LDClient} that evaluates one flag against one big segment read from the
 * given store, without any network: flag and segment come from a file, events are off, and the service
 * endpoints point at a closed loopback port. The flag is true exactly when the context is in the segment.
 * The SDK owns the store: closing the probe closes it.
 */
public final class SdkProbe implements AutoCloseable {
    public static final String FLAG_KEY = "big-flag";
    /** Poll the store status often, so tests see a new stamp quickly. */
    public static final Duration DEFAULT_STATUS_POLL_INTERVAL = Duration.ofMillis(50);
    /** No membership cache: every evaluation reads the store. */
    public static final int DEFAULT_USER_CACHE_SIZE = 0;
    public static final Duration DEFAULT_USER_CACHE_TIME = Duration.ofMillis(10);
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(2);
    /** Nothing listens here; a probe that tried the network would fail instead of reaching a real service. */
    public static final URI DEFAULT_SERVICE_ENDPOINT = URI.create("http://127.0.0.1:1");

    private static final String SDK_KEY = "sdk-probe-offline";
    private static final Duration START_WAIT = Duration.ofSeconds(5);

    private final LDClient client;
    private final LogCapture logs;
    private final Path dataFile;

    private SdkProbe(Builder b) {
        this.logs = Logs.capture();
        this.dataFile = writeDataFile(b.segmentKey, b.generation);
        LDConfig config = new LDConfig.Builder()
                .dataSource(FileData.dataSource().filePaths(dataFile))
                .events(Components.noEvents())
                .serviceEndpoints(Components.serviceEndpoints().relayProxy(b.serviceEndpoint))
                .logging(Components.logging(logs))
                .startWait(START_WAIT)
                .bigSegments(Components.bigSegments(context -> b.store)
                        .staleAfter(b.staleAfter)
                        .statusPollInterval(b.statusPollInterval)
                        .userCacheSize(b.userCacheSize)
                        .userCacheTime(b.userCacheTime))
                .build();
        this.client = new LDClient(SDK_KEY, config);
        if (!client.isInitialized()) {
            close();
            throw new IllegalStateException("the SDK did not load the probe flag file:\n" + capturedLogs());
        }
    }

    /** A probe with the default (fast) cache and poll settings. */
    public static SdkProbe forSegment(String segmentKey, int generation, BigSegmentStore store, Duration staleAfter) {
        return builder(segmentKey, generation, store).staleAfter(staleAfter).build();
    }

    public static Builder builder(String segmentKey, int generation, BigSegmentStore store) {
        return new Builder(segmentKey, generation, store);
    }

    /** Evaluates the probe flag for a user context with this key. */
    public Evaluation evaluate(String contextKey) {
        EvaluationDetail<Boolean> detail = client.boolVariationDetail(FLAG_KEY, LDContext.create(contextKey), false);
        return new Evaluation(detail.getValue(), detail.getReason().getBigSegmentsStatus());
    }

    /** Everything the SDK logged, for a failing test to print. */
    public String capturedLogs() {
        return logs.getMessages().stream().map(Object::toString).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        try {
            if (client != null) {
                client.close();
            }
            Files.deleteIfExists(dataFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeDataFile(String segmentKey, int generation) {
        try {
            Path file = Files.createTempFile("sdk-probe-", ".json");
            Files.writeString(file, ProbeData.json(FLAG_KEY, segmentKey, generation));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings of an {@link SdkProbe}; the defaults make store changes visible within milliseconds. */
    public static final class Builder {
        private final String segmentKey;
        private final int generation;
        private final BigSegmentStore store;
        private Duration staleAfter = DEFAULT_STALE_AFTER;
        private Duration statusPollInterval = DEFAULT_STATUS_POLL_INTERVAL;
        private int userCacheSize = DEFAULT_USER_CACHE_SIZE;
        private Duration userCacheTime = DEFAULT_USER_CACHE_TIME;
        private URI serviceEndpoint = DEFAULT_SERVICE_ENDPOINT;

        private Builder(String segmentKey, int generation, BigSegmentStore store) {
            this.segmentKey = Objects.requireNonNull(segmentKey, "segmentKey");
            this.generation = generation;
            this.store = Objects.requireNonNull(store, "store");
        }

        public Builder staleAfter(Duration staleAfter) {
            this.staleAfter = staleAfter;
            return this;
        }

        public Builder statusPollInterval(Duration interval) {
            this.statusPollInterval = interval;
            return this;
        }

        public Builder userCacheSize(int size) {
            this.userCacheSize = size;
            return this;
        }

        public Builder userCacheTime(Duration time) {
            this.userCacheTime = time;
            return this;
        }

        /** Where the SDK would look for LaunchDarkly's services, if it ever tried. */
        public Builder serviceEndpoint(URI endpoint) {
            this.serviceEndpoint = endpoint;
            return this;
        }

        public SdkProbe build() {
            return new SdkProbe(this);
        }
    }

    /** The flag and segment file: one rule matching the segment serves true; everything else false. */
    static final class ProbeData {
        private ProbeData() {
        }

        static String json(String flagKey, String segmentKey, int generation) {
            LDValue clause = LDValue.buildObject().put("attribute", "key").put("op", "segmentMatch")
                    .put("values", LDValue.arrayOf(LDValue.of(segmentKey))).put("negate", false).build();
            LDValue rule = LDValue.buildObject().put("id", "in-segment").put("variation", 1)
                    .put("clauses", LDValue.arrayOf(clause)).build();
            LDValue flag = LDValue.buildObject().put("key", flagKey).put("version", 1).put("on", true)
                    .put("variations", LDValue.arrayOf(LDValue.of(false), LDValue.of(true)))
                    .put("offVariation", 0).put("fallthrough", LDValue.buildObject().put("variation", 0).build())
                    .put("rules", LDValue.arrayOf(rule)).put("salt", "probe").build();
            LDValue segment = LDValue.buildObject().put("key", segmentKey).put("version", 1).put("unbounded", true)
                    .put("generation", generation).put("unboundedContextKind", "user").put("salt", "probe").build();
            return LDValue.buildObject()
                    .put("flags", LDValue.buildObject().put(flagKey, flag).build())
                    .put("segments", LDValue.buildObject().put(segmentKey, segment).build())
                    .build().toJsonString();
        }
    }
}
