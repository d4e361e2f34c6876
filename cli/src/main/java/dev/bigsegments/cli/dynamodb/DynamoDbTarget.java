package dev.bigsegments.cli.dynamodb;

import dev.bigsegments.cli.Progress;
import dev.bigsegments.cli.diff.HashSample;
import dev.bigsegments.cli.diff.Memberships;
import dev.bigsegments.cli.diff.Slot;
import dev.bigsegments.cli.store.StoreTarget;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.store.MembershipStore;
import dev.bigsegments.store.dynamodb.DynamoDbLayout;
import dev.bigsegments.store.dynamodb.DynamoDbMembershipStore;
import dev.bigsegments.store.dynamodb.DynamoDbStoreBuilder;
import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A prefix in a DynamoDB table. All membership items share one partition key ({@code {prefix:}big_segments_user}),
 * so one strongly consistent Query, page by page, reads them; writes go through the store-writer's DynamoDB
 * store (UpdateItem ADD/DELETE). Reading needs dynamodb:Query on top of the writer's documented permissions.
 */
public final class DynamoDbTarget implements StoreTarget {
    private static final String KEY_NAME = "#k";
    private static final String NAMESPACE_VALUE = ":ns";

    private final String environment;
    private final DynamoDbLayout layout;
    private final URI endpoint;
    private final String region;
    // The async client, whose Netty transport the writer uses too: one HTTP implementation on the classpath.
    private final DynamoDbAsyncClient reader;

    public DynamoDbTarget(String environment, DynamoDbLayout layout, URI endpoint, String region) {
        this.environment = environment;
        this.layout = layout;
        this.endpoint = endpoint;
        this.region = region;
        DynamoDbAsyncClientBuilder builder = DynamoDbAsyncClient.builder();
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (region != null) {
            builder.region(Region.of(region));
        }
        this.reader = builder.build();
    }

    @Override
    public String environment() {
        return environment;
    }

    @Override
    public String describe() {
        return "DynamoDB table " + layout.table() + (layout.prefix().isEmpty() ? " (no prefix)"
                : " prefix " + layout.prefix());
    }

    @Override
    public MembershipStore openWriter() {
        DynamoDbStoreBuilder builder = DynamoDbMembershipStore.builder().defaultTable(layout.table())
                .prefixes(Map.of(environment, layout.prefix())).region(region);
        if (endpoint != null) {
            builder.endpoint(endpoint);
        }
        return builder.build();
    }

    /** An item left with only its keys reads as no membership, so only items with a set count. */
    @Override
    public boolean hasMemberships() {
        boolean[] any = {false};
        query(item -> {
            any[0] = item.containsKey(DynamoDbLayout.INCLUDED) || item.containsKey(DynamoDbLayout.EXCLUDED);
            return !any[0];
        });
        return any[0];
    }

    @Override
    public Contents read(HashSample sample, Progress progress) {
        Memberships memberships = new Memberships();
        Set<Slot> wrongType = new HashSet<>();
        long[] seen = {0};
        query(item -> {
            String hash = item.get(DynamoDbLayout.SORT_KEY).s();
            if (sample.includes(hash)) {
                for (MemberList list : MemberList.values()) {
                    AttributeValue refs = item.get(DynamoDbLayout.attribute(list));
                    if (refs == null) {
                        continue;
                    }
                    Slot slot = new Slot(list, hash);
                    if (refs.hasSs()) {
                        refs.ss().forEach(ref -> memberships.put(slot, ref, true));
                    } else {
                        wrongType.add(slot);
                    }
                }
            }
            progress.update(++seen[0], seen[0]);
            return true;
        });
        progress.finish(seen[0]);
        return new Contents(memberships, wrongType);
    }

    /** REMOVE of each attribute that is not a string set (SDKs read it as no membership; ADD fails on it). */
    @Override
    public void deleteWrongType(Set<Slot> slots) {
        for (Slot slot : slots) {
            reader.updateItem(b -> b.tableName(layout.table())
                    .key(Map.of(DynamoDbLayout.PARTITION_KEY, AttributeValue.fromS(layout.membershipNamespace()),
                            DynamoDbLayout.SORT_KEY, AttributeValue.fromS(slot.contextHash())))
                    .updateExpression("REMOVE #a")
                    .expressionAttributeNames(Map.of("#a", DynamoDbLayout.attribute(slot.list())))).join();
        }
    }

    /** Visits the membership items of the prefix until the visitor returns false. */
    private void query(Predicate<Map<String, AttributeValue>> visitor) {
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(layout.table()).consistentRead(true)
                    .keyConditionExpression(KEY_NAME + " = " + NAMESPACE_VALUE)
                    .expressionAttributeNames(Map.of(KEY_NAME, DynamoDbLayout.PARTITION_KEY))
                    .expressionAttributeValues(Map.of(NAMESPACE_VALUE,
                            AttributeValue.fromS(layout.membershipNamespace())));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse page = reader.query(request.build()).join();
            for (Map<String, AttributeValue> item : page.items()) {
                if (!visitor.test(item)) {
                    return;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    @Override
    public void close() {
        reader.close();
    }
}
