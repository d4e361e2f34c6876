package dev.bigsegments.standalone;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Reads a whole store prefix back: context hash to refs, for the include or the exclude sets. */
final class RedisSnapshot {
    private RedisSnapshot() {
    }

    static Map<String, Set<String>> read(String redisUri, String prefix, String set) throws Exception {
        String keyPrefix = prefix + ":big_segment_" + set + ":";
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            List<String> keys = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = c.sync().scan(cursor, ScanArgs.Builder.matches(keyPrefix + "*").limit(5000));
                keys.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            Map<String, RedisFuture<Set<String>>> futures = new HashMap<>();
            for (String key : keys) {
                futures.put(key, c.async().smembers(key));
            }
            Map<String, Set<String>> out = new HashMap<>();
            for (Map.Entry<String, RedisFuture<Set<String>>> e : futures.entrySet()) {
                out.put(e.getKey().substring(keyPrefix.length()), new HashSet<>(e.getValue().get(30, TimeUnit.SECONDS)));
            }
            return out;
        } finally {
            client.shutdown();
        }
    }

    /**
     * The part of a snapshot that belongs to the refs {@code ours} accepts: other tests share the environment
     * and its prefix, so a test checks only its own segments' memberships.
     */
    static Map<String, Set<String>> only(Map<String, Set<String>> snapshot, Predicate<String> ours) {
        Map<String, Set<String>> mine = new HashMap<>();
        snapshot.forEach((hash, refs) -> {
            Set<String> kept = refs.stream().filter(ours).collect(Collectors.toSet());
            if (!kept.isEmpty()) {
                mine.put(hash, kept);
            }
        });
        return mine;
    }

    static Set<String> members(String redisUri, String key) {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().smembers(key);
        } finally {
            client.shutdown();
        }
    }

    static long dbSize(String redisUri) {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().dbsize();
        } finally {
            client.shutdown();
        }
    }

    static String get(String redisUri, String key) {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().get(key);
        } finally {
            client.shutdown();
        }
    }
}
