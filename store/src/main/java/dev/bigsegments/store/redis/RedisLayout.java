package dev.bigsegments.store.redis;

import dev.bigsegments.schemas.avro.MemberList;

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

    private final String prefix;

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
}
