package dev.bigsegments.cli;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Every membership key under a prefix with its members, read with plain SCAN and SMEMBERS. */
final class RedisContents {
    private RedisContents() {
    }

    /** The keys whose members differ, described with at most {@code max} entries, to keep failures readable. */
    static List<String> differences(Map<String, Set<String>> actual, Map<String, Set<String>> expected, int max) {
        List<String> diffs = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(actual.keySet());
        keys.addAll(expected.keySet());
        for (String key : keys) {
            Set<String> a = actual.getOrDefault(key, Set.of());
            Set<String> e = expected.getOrDefault(key, Set.of());
            if (!a.equals(e)) {
                diffs.add(key + " has " + a + ", expected " + e);
            }
        }
        if (diffs.size() > max) {
            int total = diffs.size();
            diffs = new ArrayList<>(diffs.subList(0, max));
            diffs.add("... " + (total - max) + " more");
        }
        return diffs;
    }

    static Map<String, Set<String>> memberships(StatefulRedisConnection<String, String> redis, String prefix)
            throws Exception {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.sync().scan(cursor,
                    ScanArgs.Builder.matches(prefix + ":big_segment_*").limit(5_000));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        List<RedisFuture<Set<String>>> members = new ArrayList<>(keys.size());
        keys.forEach(k -> members.add(redis.async().smembers(k)));
        Map<String, Set<String>> result = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            result.put(keys.get(i), members.get(i).get(30, TimeUnit.SECONDS));
        }
        return result;
    }
}
