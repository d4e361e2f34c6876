package dev.bigsegments.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Every membership set of a DynamoDB store's prefix, read with a plain Query from the layout specification
 * (not the code under test), keyed as {@link MembershipTopicFixture#expectedRedis} keys them so both stores
 * compare with the same expectation: {@code prefix:big_segment_include:hash} and {@code ..._exclude:hash}.
 */
final class DynamoDbContents {
    private DynamoDbContents() {
    }

    static Map<String, Set<String>> memberships(DynamoDbAsyncClient client, String table, String prefix) {
        Map<String, Set<String>> result = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = client.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("#ns = :ns")
                    .expressionAttributeNames(Map.of("#ns", "namespace"))
                    .expressionAttributeValues(Map.of(":ns", AttributeValue.fromS(prefix + ":big_segments_user")))
                    .exclusiveStartKey(from)).join();
            for (Map<String, AttributeValue> item : page.items()) {
                String hash = item.get("key").s();
                add(result, prefix + ":big_segment_include:" + hash, item.get("included"));
                add(result, prefix + ":big_segment_exclude:" + hash, item.get("excluded"));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return result;
    }

    private static void add(Map<String, Set<String>> result, String key, AttributeValue refs) {
        if (refs != null && refs.hasSs() && !refs.ss().isEmpty()) {
            result.put(key, new HashSet<>(refs.ss()));
        }
    }
}
