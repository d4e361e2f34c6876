package dev.bigsegments.store.redis;

import dev.bigsegments.schemas.avro.MemberList;
import io.lettuce.core.cluster.SlotHash;

/**
 * The Redis key names LaunchDarkly server SDKs read, for one prefix. Membership keys use the singular
 * {@code big_segment_}, the metadata key the plural {@code big_segments_}: both exactly as the SDKs spell them.
 */
public final class RedisLayout {
    /** The prefix SDKs use when none is configured; an empty prefix means this one too. */
    public static final String DEFAULT_PREFIX = "launchdarkly";

    private static final String SEPARATOR = ":";
    private static final String INCLUDE = "big_segment_include";
    private static final String EXCLUDE = "big_segment_exclude";
    private static final String SYNCHRONIZED_ON = "big_segments_synchronized_on";
    private static final String FILL = "big_segments_fill";
    private static final String STAMP_GUARD = "big_segments_stamp_guard";

    private final String prefix;
    private volatile String stampGuardKey;

    private RedisLayout(String prefix) {
        this.prefix = prefix;
    }

    /** The layout under {@code prefix}; null or empty selects {@link #DEFAULT_PREFIX}. */
    public static RedisLayout forPrefix(String prefix) {
        return new RedisLayout(prefix == null || prefix.isEmpty() ? DEFAULT_PREFIX : prefix);
    }

    public String prefix() {
        return prefix;
    }

    /** SET of the refs of the segments the context is included in. */
    public String includeKey(String contextHash) {
        return prefix + SEPARATOR + INCLUDE + SEPARATOR + contextHash;
    }

    /** SET of the refs of the segments the context is excluded from. */
    public String excludeKey(String contextHash) {
        return prefix + SEPARATOR + EXCLUDE + SEPARATOR + contextHash;
    }

    public String membershipKey(MemberList list, String contextHash) {
        return list == MemberList.INCLUDED ? includeKey(contextHash) : excludeKey(contextHash);
    }

    /** STRING holding the decimal Unix milliseconds of the last time the store was known current. */
    public String synchronizedOnKey() {
        return prefix + SEPARATOR + SYNCHRONIZED_ON;
    }

    /**
     * STRING naming the consumer group that filled this membership-topic partition's share of the prefix.
     * Writer-private (SDKs read only the keys above); plural {@code big_segments_} like the metadata key.
     */
    public String fillMarkerKey(int partition) {
        return prefix + SEPARATOR + FILL + SEPARATOR + partition;
    }

    /**
     * STRING holding the token of the stamp being written, writer-private: {@code synchronizedOn} is set only while
     * it still holds the token, so a store emptied since the token was written is not stamped. It lies in the
     * stamp's Cluster hash slot, so that one script reads it and sets the stamp on every kind of Redis:
     * {@code {prefix}:big_segments_stamp_guard:{n}}, {@code n} the smallest number from 0 that puts it there (0
     * when the prefix holds a hash tag).
     */
    public String stampGuardKey() {
        String key = stampGuardKey;
        if (key == null) {
            int slot = SlotHash.getSlot(synchronizedOnKey());
            String head = prefix + SEPARATOR + STAMP_GUARD + SEPARATOR;
            int n = 0;
            while (SlotHash.getSlot(head + n) != slot) {
                n++;
            }
            key = head + n;
            stampGuardKey = key;
        }
        return key;
    }
}
