package dev.bigsegments.store.dynamodb;

import dev.bigsegments.schemas.avro.MemberList;

/**
 * The DynamoDB items LaunchDarkly server SDKs read, for one table and prefix: membership items under
 * {@code {prefix:}big_segments_user} keyed by context hash, one metadata item whose partition and sort
 * keys are both {@code {prefix:}big_segments_metadata}.
 */
public final class DynamoDbLayout {
    /** Partition key attribute (S). */
    public static final String PARTITION_KEY = "namespace";
    /** Sort key attribute (S). */
    public static final String SORT_KEY = "key";
    /** String set (SS) of refs the context is included in. */
    public static final String INCLUDED = "included";
    /** String set (SS) of refs the context is excluded from. */
    public static final String EXCLUDED = "excluded";
    /** Number (N): Unix ms of the last time the store was known current. */
    public static final String SYNCHRONIZED_ON = "synchronizedOn";
    /**
     * String (S) on the metadata item, writer-private: the token of the stamp being written, which is set only while
     * the item still holds it. SDKs read only {@link #SYNCHRONIZED_ON} there.
     */
    public static final String STAMP_GUARD = "stampGuard";
    /** String (S) on a fill marker: the consumer group that filled the partition's share of the store. */
    public static final String FILLED_BY = "filledBy";

    private static final String SEPARATOR = ":";
    private static final String MEMBERSHIP_NAMESPACE = "big_segments_user";
    private static final String METADATA_NAMESPACE = "big_segments_metadata";
    private static final String FILL_NAMESPACE = "big_segments_fill";

    private final String table;
    private final String prefix;

    private DynamoDbLayout(String table, String prefix) {
        this.table = table;
        this.prefix = prefix;
    }

    /** @param prefix null or empty means no prefix, as in the SDKs */
    public static DynamoDbLayout of(String table, String prefix) {
        if (table == null || table.isEmpty()) {
            throw new IllegalArgumentException("a DynamoDB table name is required");
        }
        return new DynamoDbLayout(table, prefix == null ? "" : prefix);
    }

    public String table() {
        return table;
    }

    public String prefix() {
        return prefix;
    }

    /** Partition key value of every membership item. */
    public String membershipNamespace() {
        return prefixed(MEMBERSHIP_NAMESPACE);
    }

    /** Partition and sort key value of the metadata item. */
    public String metadataKey() {
        return prefixed(METADATA_NAMESPACE);
    }

    /**
     * Partition key value of the writer-private fill markers, one item per membership-topic partition (the
     * partition number is the sort key). SDKs never read this namespace.
     */
    public String fillNamespace() {
        return prefixed(FILL_NAMESPACE);
    }

    public static String attribute(MemberList list) {
        return list == MemberList.INCLUDED ? INCLUDED : EXCLUDED;
    }

    private String prefixed(String name) {
        return prefix.isEmpty() ? name : prefix + SEPARATOR + name;
    }
}
