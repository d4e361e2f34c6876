package dev.bigsegments.writer;

import dev.bigsegments.schemas.TopicNames;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How a store writer consumes.
 *
 * @param groupId consumer group; each store target has its own, so one slow store never holds back another
 * @param processorApplicationId the stream processor's application id, whose lag gates {@code synchronizedOn}
 * @param environments the environment ids this writer stamps
 * @param stampInterval how often the caught-up check runs (at most 30 s: SDKs consider data stale after 2 min)
 * @param kafkaOverrides further client settings (SASL, TLS), applied last
 */
public record WriterOptions(String bootstrapServers, String groupId, String processorApplicationId,
        TopicNames topics, Set<String> environments, Map<String, ?> serdeConfig, int maxPollRecords,
        Duration stampInterval, Backoff backoff, BatchCoalescer.Mode mode, Map<String, String> kafkaOverrides) {

    public static final String DEFAULT_GROUP_ID = "bigsegments-writer-redis";
    public static final int DEFAULT_MAX_POLL_RECORDS = 10_000;
    public static final Duration DEFAULT_STAMP_INTERVAL = Duration.ofSeconds(5);

    public WriterOptions {
        if (stampInterval.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("stamp interval must be at most 30 s");
        }
    }

    public static WriterOptions defaults(String bootstrapServers, Set<String> environments,
            Map<String, ?> serdeConfig) {
        return new WriterOptions(bootstrapServers, DEFAULT_GROUP_ID, "bigsegments-processor", TopicNames.defaults(),
                environments, serdeConfig, DEFAULT_MAX_POLL_RECORDS, DEFAULT_STAMP_INTERVAL, Backoff.defaults(),
                BatchCoalescer.Mode.LIVE, Map.of());
    }

    public WriterOptions withGroupId(String id) {
        return new WriterOptions(bootstrapServers, id, processorApplicationId, topics, environments, serdeConfig,
                maxPollRecords, stampInterval, backoff, mode, kafkaOverrides);
    }

    public WriterOptions withStampInterval(Duration interval) {
        return new WriterOptions(bootstrapServers, groupId, processorApplicationId, topics, environments,
                serdeConfig, maxPollRecords, interval, backoff, mode, kafkaOverrides);
    }
}
