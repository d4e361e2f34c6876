package dev.bigsegments.testkit;

import com.launchdarkly.sdk.server.subsystems.BigSegmentStore;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStoreTypes;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStoreTypes.Membership;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStoreTypes.StoreMetadata;
import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads a DynamoDB big-segment store the way LaunchDarkly's DynamoDB integration does: a strongly
 * consistent GetItem of the membership item (string sets {@code included}/{@code excluded}; anything else
 * reads as no membership) and of the metadata item ({@code synchronizedOn}, a number). Written from the
 * layout specification, not from the writer, so that a writer's wrong name shows up as a failed evaluation.
 */
public final class DynamoDbBigSegmentStoreReader implements BigSegmentStore {
    private static final String NAMESPACE = "namespace";
    private static final String KEY = "key";
    private static final String MEMBERSHIP = "big_segments_user";
    private static final String METADATA = "big_segments_metadata";
    private static final String INCLUDED = "included";
    private static final String EXCLUDED = "excluded";
    private static final String SYNCHRONIZED_ON = "synchronizedOn";

    // The async client, whose Netty transport the writer uses too: one HTTP implementation on the classpath.
    private final DynamoDbAsyncClient client;
    private final String table;
    private final String prefix;

    /** @param prefix null or empty means none, as in the SDKs */
    public DynamoDbBigSegmentStoreReader(URI endpoint, String table, String prefix) {
        this.client = DynamoDbAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        this.table = table;
        this.prefix = prefix == null ? "" : prefix;
    }

    @Override
    public Membership getMembership(String contextHash) {
        Map<String, AttributeValue> item = get(prefixed(MEMBERSHIP), contextHash);
        return BigSegmentStoreTypes.createMembershipFromSegmentRefs(stringSet(item, INCLUDED), stringSet(item, EXCLUDED));
    }

    /** Null when the store was never stamped or the stamp is not a number: the SDK then reports STALE. */
    @Override
    public StoreMetadata getMetadata() {
        Map<String, AttributeValue> item = get(prefixed(METADATA), prefixed(METADATA));
        AttributeValue value = item.get(SYNCHRONIZED_ON);
        if (value == null || value.n() == null) {
            return null;
        }
        return new StoreMetadata(Long.parseLong(value.n()));
    }

    private Map<String, AttributeValue> get(String namespace, String key) {
        return client.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(NAMESPACE, AttributeValue.fromS(namespace), KEY, AttributeValue.fromS(key)))).join().item();
    }

    private static List<String> stringSet(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null || !value.hasSs() ? List.of() : value.ss();
    }

    private String prefixed(String name) {
        return prefix.isEmpty() ? name : prefix + ":" + name;
    }

    @Override
    public void close() {
        client.close();
    }
}
