package dev.bigsegments.standalone;

import dev.bigsegments.store.redis.RedisLayout;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * The writer-private keys of a scenario's Redis store beside its members: the {@code synchronizedOn} stamp, its
 * guard, and one fill marker per membership-topic partition (README, "Store layout"). A scenario's store is alone
 * in its database, so its members are the database's keys less these.
 */
final class WriterKeys {
    private WriterKeys() {
    }

    static String stamp(String prefix) {
        return prefix + ":big_segments_synchronized_on";
    }

    static String[] all(String prefix) {
        List<String> keys = new ArrayList<>(List.of(stamp(prefix), RedisLayout.forPrefix(prefix).stampGuardKey()));
        for (int p = 0; p < PipelineScenario.PARTITIONS; p++) {
            keys.add(prefix + ":big_segments_fill:" + p);
        }
        return keys.toArray(String[]::new);
    }

    /**
     * How many of them a stamped store holds: the writer stamps only once every partition is marked, and only
     * while the guard holds its token.
     */
    static int whenStamped() {
        return 2 + PipelineScenario.PARTITIONS;
    }

    /**
     * Members in the database: its keys less the writer-private ones present. The keys are counted first, so a
     * marker written in between makes the count low, never high.
     */
    static long members(RedisClusterCommands<String, String> redis, String prefix) {
        return members(redis.dbsize(), redis, prefix);
    }

    /** As above, with the database's keys counted by the caller (a cluster's over its live masters). */
    static long members(long keys, RedisClusterCommands<String, String> redis, String prefix) {
        return keys - redis.exists(all(prefix));
    }
}
