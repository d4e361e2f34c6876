package dev.bigsegments.standalone;

import dev.bigsegments.testkit.DynamoDbMemberships;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

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
            DynamoDbMemberships.read(client, table, prefix).forEach((hash, lists) -> {
                if (!lists.included().isEmpty()) {
                    out.put(hash, lists.included());
                }
            });
            return out;
        }
    }
}
