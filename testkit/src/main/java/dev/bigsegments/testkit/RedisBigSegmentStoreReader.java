package dev.bigsegments.testkit;

import com.launchdarkly.sdk.server.subsystems.BigSegmentStore;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStoreTypes;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStoreTypes.Membership;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStoreTypes.StoreMetadata;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.Set;

/**
 * Reads a Redis big-segment store the way LaunchDarkly's Redis integration does: SMEMBERS on the include
 * and exclude keys of a context hash (two round trips), GET on the metadata key. Written from the layout
 * specification, not from the writer, so that a writer's wrong key shows up as a failed evaluation.
 */
public final class RedisBigSegmentStoreReader implements BigSegmentStore {
    public static final String DEFAULT_PREFIX = "launchdarkly";

    private static final String INCLUDE_KEY = ":big_segment_include:";
    private static final String EXCLUDE_KEY = ":big_segment_exclude:";
    private static final String SYNCHRONIZED_ON_KEY = ":big_segments_synchronized_on";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final RedisAdmin connection;
    private final RedisClusterCommands<String, String> redis;
    private final String prefix;

    /**
     * @param redisUri {@code redis://}, {@code redis-sentinel://...#master}, or {@code redis-cluster://h:p,h:p}
     *     for a Redis Cluster read with a cluster client, as Go's and .NET's SDK stores can
     * @param prefix null or empty means {@link #DEFAULT_PREFIX}, as in the SDKs
     */
    public RedisBigSegmentStoreReader(String redisUri, String prefix) {
        this.prefix = prefix == null || prefix.isEmpty() ? DEFAULT_PREFIX : prefix;
        this.connection = new RedisAdmin(redisUri, TIMEOUT);
        this.redis = connection.commands();
    }

    @Override
    public Membership getMembership(String contextHash) {
        Set<String> included = redis.smembers(prefix + INCLUDE_KEY + contextHash);
        Set<String> excluded = redis.smembers(prefix + EXCLUDE_KEY + contextHash);
        return BigSegmentStoreTypes.createMembershipFromSegmentRefs(included, excluded);
    }

    /** Null when the store was never stamped: the SDK then reports STALE. */
    @Override
    public StoreMetadata getMetadata() {
        String value = redis.get(prefix + SYNCHRONIZED_ON_KEY);
        if (value == null || value.isEmpty()) {
            return null;
        }
        return new StoreMetadata(Long.parseLong(value));
    }

    /** Safe to call twice: the SDK closes the store it was given, and so may its creator. */
    @Override
    public synchronized void close() {
        connection.close();
    }
}
