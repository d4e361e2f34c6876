package dev.bigsegments.cli.redis;

import dev.bigsegments.cli.Progress;
import dev.bigsegments.cli.diff.HashSample;
import dev.bigsegments.cli.diff.Memberships;
import dev.bigsegments.cli.diff.Slot;
import dev.bigsegments.cli.store.StoreTarget;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.store.redis.RedisLayout;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the membership sets under one prefix: SCAN for the include and exclude keys, TYPE on each
 * (a key that is not a SET makes SDKs report STORE_ERROR), SMEMBERS on the sets. Needs SCAN, TYPE and
 * SMEMBERS on top of the writer's documented permissions.
 */
public final class RedisStoreScan {
    /** Keys asked for per SCAN call. */
    public static final int SCAN_COUNT = 1_000;
    private static final String SET_TYPE = "set";
    private static final long REPLY_TIMEOUT_SECONDS = 30;

    private RedisStoreScan() {
    }

    public static StoreTarget.Contents read(RedisConnection connection, RedisLayout layout,
            HashSample sample, Progress progress) {
        Memberships memberships = new Memberships();
        Set<Slot> wrongType = new HashSet<>();
        long[] seen = {0};
        for (MemberList list : MemberList.values()) {
            String keyPrefix = layout.membershipKey(list, "");
            scan(connection, keyPrefix, keys -> {
                List<String> sampled = new ArrayList<>(keys.size());
                for (String key : keys) {
                    if (sample.includes(key.substring(keyPrefix.length()))) {
                        sampled.add(key);
                    }
                }
                readBatch(connection.async(), keyPrefix, list, sampled, memberships, wrongType);
                seen[0] += keys.size();
                progress.update(seen[0], seen[0]);
            });
        }
        progress.finish(seen[0]);
        return new StoreTarget.Contents(memberships, wrongType);
    }

    /** Whether any membership key exists under the prefix. */
    public static boolean hasMemberships(RedisConnection connection, RedisLayout layout) {
        for (MemberList list : MemberList.values()) {
            boolean[] any = {false};
            scan(connection, layout.membershipKey(list, ""), keys -> any[0] |= !keys.isEmpty());
            if (any[0]) {
                return true;
            }
        }
        return false;
    }

    interface Batch {
        void accept(List<String> keys);
    }

    /** SCANs every node that holds keys ({@link RedisConnection#scanned}); a key may come twice. */
    static void scan(RedisConnection connection, String keyPrefix, Batch batch) {
        ScanArgs args = ScanArgs.Builder.matches(escapeGlob(keyPrefix) + "*").limit(SCAN_COUNT);
        for (RedisClusterCommands<String, String> node : connection.scanned()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = node.scan(cursor, args);
                batch.accept(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
        }
    }

    private static void readBatch(RedisClusterAsyncCommands<String, String> redis, String keyPrefix, MemberList list,
            List<String> keys, Memberships memberships, Set<Slot> wrongType) {
        List<RedisFuture<String>> types = new ArrayList<>(keys.size());
        keys.forEach(k -> types.add(redis.type(k)));
        List<String> sets = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            String type = await(types.get(i));
            if (SET_TYPE.equals(type)) {
                sets.add(key);
            } else if (!"none".equals(type)) {
                wrongType.add(new Slot(list, key.substring(keyPrefix.length())));
            }
        }
        List<RedisFuture<Set<String>>> members = new ArrayList<>(sets.size());
        sets.forEach(k -> members.add(redis.smembers(k)));
        for (int i = 0; i < sets.size(); i++) {
            Slot slot = new Slot(list, sets.get(i).substring(keyPrefix.length()));
            for (String ref : await(members.get(i))) {
                memberships.put(slot, ref, true);
            }
        }
    }

    /** SCAN MATCH is a glob: a prefix may contain its special characters. */
    static String escapeGlob(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static <T> T await(RedisFuture<T> future) {
        try {
            return future.get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading Redis", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("reading Redis failed: " + e.getMessage(), e);
        }
    }
}
