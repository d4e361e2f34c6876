package dev.bigsegments.writer;

import dev.bigsegments.schemas.Backoff;
import dev.bigsegments.schemas.TopicNames;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How a store writer consumes.
 *
 * @param groupId consumer group; each store target has its own, so one slow store never holds back another.
 *     It is also what the store's fill markers name (see {@link FillMarkers})
 * @param processorApplicationId the stream processor's application id, whose progress gates {@code synchronizedOn}
 * @param environments the environment ids this writer writes and stamps
 * @param stampInterval how often a freshness check starts (at most 30 s: SDKs consider data stale after 2 min)
 * @param backoff how store, registry and Kafka failures are retried: without limit, capped
 * @param replayAfterOutage after a store outage, the changes applied this long before it began are applied again:
 *     a failover to a replica may have lost writes the old primary had acknowledged
 * @param rebuildOnLoss refill a store that lost its data from the membership topic; false leaves it unstamped
 *     (and the writer not ready) until an operator acts
 * @param otherEnvironments what to do with records of environments not in {@code environments}
 * @param source names this writer in the headers of the dead letters it writes
 * @param kafkaOverrides further client settings (SASL, TLS), applied last
 */
public record WriterOptions(String bootstrapServers, String groupId, String processorApplicationId,
        TopicNames topics, Set<String> environments, Map<String, ?> serdeConfig, int maxPollRecords,
        Duration stampInterval, Backoff backoff, Duration replayAfterOutage, BatchCoalescer.Mode mode,
        boolean rebuildOnLoss,
        OtherEnvironments otherEnvironments, String source, Map<String, String> kafkaOverrides) {

    public static final String DEFAULT_GROUP_ID = "bigsegments-writer-redis";
    public static final String DEFAULT_PROCESSOR_APPLICATION_ID = "bigsegments-processor";
    public static final int DEFAULT_MAX_POLL_RECORDS = 10_000;
    public static final Duration DEFAULT_STAMP_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REPLAY_AFTER_OUTAGE = Duration.ofSeconds(10);

    /** Records of an environment the writer does not serve. */
    public enum OtherEnvironments {
        /** A dead letter: the membership topic should carry only configured environments. */
        DEAD_LETTER,
        /** Skipped: the writer fills one environment out of many (a rebuild). */
        SKIP
    }

    public WriterOptions {
        if (stampInterval.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("stamp interval must be at most 30 s");
        }
    }

    /** Options with every default; only Kafka, the environments and the registry settings are required. */
    public static Builder builder(String bootstrapServers, Set<String> environments, Map<String, ?> serdeConfig) {
        return new Builder(bootstrapServers, environments, serdeConfig);
    }

    /** Settings of {@link WriterOptions}, each starting at its documented default. */
    public static final class Builder {
        private final String bootstrapServers;
        private final Set<String> environments;
        private final Map<String, ?> serdeConfig;
        private String groupId = DEFAULT_GROUP_ID;
        private String processorApplicationId = DEFAULT_PROCESSOR_APPLICATION_ID;
        private TopicNames topics = TopicNames.defaults();
        private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;
        private Duration stampInterval = DEFAULT_STAMP_INTERVAL;
        private Backoff backoff = Backoff.defaults();
        private Duration replayAfterOutage = DEFAULT_REPLAY_AFTER_OUTAGE;
        private BatchCoalescer.Mode mode = BatchCoalescer.Mode.LIVE;
        private boolean rebuildOnLoss = true;
        private OtherEnvironments otherEnvironments = OtherEnvironments.DEAD_LETTER;
        private String source = "store-writer";
        private Map<String, String> kafkaOverrides = Map.of();

        private Builder(String bootstrapServers, Set<String> environments, Map<String, ?> serdeConfig) {
            this.bootstrapServers = bootstrapServers;
            this.environments = Set.copyOf(environments);
            this.serdeConfig = serdeConfig;
        }

        public Builder groupId(String id) {
            this.groupId = id;
            return this;
        }

        public Builder processorApplicationId(String id) {
            this.processorApplicationId = id;
            return this;
        }

        public Builder topics(TopicNames names) {
            this.topics = names;
            return this;
        }

        public Builder maxPollRecords(int records) {
            this.maxPollRecords = records;
            return this;
        }

        public Builder stampInterval(Duration interval) {
            this.stampInterval = interval;
            return this;
        }

        public Builder backoff(Backoff retries) {
            this.backoff = retries;
            return this;
        }

        public Builder replayAfterOutage(Duration window) {
            this.replayAfterOutage = window;
            return this;
        }

        public Builder mode(BatchCoalescer.Mode coalescing) {
            this.mode = coalescing;
            return this;
        }

        public Builder rebuildOnLoss(boolean rebuild) {
            this.rebuildOnLoss = rebuild;
            return this;
        }

        public Builder otherEnvironments(OtherEnvironments policy) {
            this.otherEnvironments = policy;
            return this;
        }

        public Builder source(String name) {
            this.source = name;
            return this;
        }

        public Builder kafkaOverrides(Map<String, String> overrides) {
            this.kafkaOverrides = Map.copyOf(overrides);
            return this;
        }

        public WriterOptions build() {
            return new WriterOptions(bootstrapServers, groupId, processorApplicationId, topics, environments,
                    serdeConfig, maxPollRecords, stampInterval, backoff, replayAfterOutage, mode, rebuildOnLoss,
                    otherEnvironments, source, kafkaOverrides);
        }
    }
}
