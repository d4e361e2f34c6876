package dev.bigsegments.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Every membership item of a DynamoDB store under one prefix, read back with a plain consistent Query as
 * the layout specification describes the table (not with the code under test), as an operator would.
 */
public final class DynamoDbMemberships {
    private DynamoDbMemberships() {
    }

    /** One context's two lists; an absent or empty string set reads as an empty list. */
    public record Lists(Set<String> included, Set<String> excluded) {
    }

    /** Context hash to its lists, for every item of the prefix's {@code big_segments_user} namespace. */
    public static Map<String, Lists> read(DynamoDbAsyncClient client, String table, String prefix) {
        Map<String, Lists> result = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = client.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("#ns = :ns")
                    .expressionAttributeNames(Map.of("#ns", "namespace"))
                    .expressionAttributeValues(Map.of(":ns", AttributeValue.fromS(prefix + ":big_segments_user")))
                    .exclusiveStartKey(from)).join();
            for (Map<String, AttributeValue> item : page.items()) {
                result.put(item.get("key").s(), new Lists(refs(item.get("included")), refs(item.get("excluded"))));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return result;
    }

    private static Set<String> refs(AttributeValue value) {
        return value != null && value.hasSs() ? Set.copyOf(value.ss()) : Set.of();
    }
}
