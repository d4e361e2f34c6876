package dev.bigsegments.standalone;

import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Reads every membership item under a prefix back (a Query, as an operator would): hash to included refs. */
final class DynamoSnapshot {
    private DynamoSnapshot() {
    }

    static Map<String, Set<String>> included(URI endpoint, String table, String prefix) {
        try (DynamoDbAsyncClient client = DynamoDbAsyncClient.builder().endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            Map<String, Set<String>> out = new HashMap<>();
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = client.query(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("#n = :n")
                        .expressionAttributeNames(Map.of("#n", "namespace"))
                        .expressionAttributeValues(Map.of(":n", AttributeValue.fromS(prefix + ":big_segments_user")))
                        .exclusiveStartKey(from)).join();
                for (Map<String, AttributeValue> item : page.items()) {
                    AttributeValue included = item.get("included");
                    if (included != null && included.hasSs()) {
                        out.put(item.get("key").s(), new HashSet<>(included.ss()));
                    }
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            return out;
        }
    }
}
