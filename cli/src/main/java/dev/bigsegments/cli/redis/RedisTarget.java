package dev.bigsegments.cli.redis;

import dev.bigsegments.cli.Progress;
import dev.bigsegments.cli.diff.HashSample;
import dev.bigsegments.cli.diff.Slot;
import dev.bigsegments.cli.store.StoreTarget;
import dev.bigsegments.store.MembershipStore;
import dev.bigsegments.store.redis.RedisLayout;
import dev.bigsegments.store.redis.RedisMembershipStore;
import java.util.Map;
import java.util.Set;

/** A prefix in Redis: read with SCAN, TYPE and SMEMBERS, written by the store-writer's Redis store. */
public final class RedisTarget implements StoreTarget {
    private final String environment;
    private final String url;
    private final RedisLayout layout;
    private final RedisConnection connection;

    public RedisTarget(String environment, String url, String prefix) {
        this.environment = environment;
        this.url = url;
        this.layout = RedisLayout.forPrefix(prefix);
        this.connection = new RedisConnection(url);
    }

    @Override
    public String environment() {
        return environment;
    }

    @Override
    public String describe() {
        return "Redis prefix " + layout.prefix();
    }

    @Override
    public MembershipStore openWriter() {
        return RedisMembershipStore.builder().uri(url).prefixes(Map.of(environment, layout.prefix())).build();
    }

    @Override
    public boolean hasMemberships() {
        return RedisStoreScan.hasMemberships(connection, layout);
    }

    @Override
    public Contents read(HashSample sample, Progress progress) {
        return RedisStoreScan.read(connection, layout, sample, progress);
    }

    /** DEL of each key: the SET the writer then creates replaces it. */
    @Override
    public void deleteWrongType(Set<Slot> slots) {
        for (Slot slot : slots) {
            connection.sync().del(layout.membershipKey(slot.list(), slot.contextHash()));
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
