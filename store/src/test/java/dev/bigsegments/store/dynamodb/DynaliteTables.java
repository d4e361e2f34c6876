package dev.bigsegments.store.dynamodb;

import dev.bigsegments.embedded.EmbeddedDynalite;
import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** An operator's client for a dynalite in tests: creates tables and reads raw items, outside the writer. */
final class DynaliteTables implements AutoCloseable {
    static final String REGION = "us-east-1";
    // dynalite checks that requests are signed, not by whom.
    static final AwsCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("test", "test"));

    private final DynamoDbAsyncClient admin;

    DynaliteTables(URI endpoint) {
        this.admin = DynamoDbAsyncClient.builder().endpointOverride(endpoint)
                .region(software.amazon.awssdk.regions.Region.of(REGION)).credentialsProvider(CREDENTIALS).build();
    }

    static DynamoDbStoreBuilder storeFor(EmbeddedDynalite dynalite) {
        return DynamoDbMembershipStore.builder().endpoint(dynalite.endpoint()).region(REGION).credentials(CREDENTIALS);
    }

    void create(String... tables) {
        DynamoDbTables.createMissing(admin, List.of(tables));
    }

    Map<String, AttributeValue> item(String table, String namespace, String key) {
        return admin.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(DynamoDbLayout.PARTITION_KEY, AttributeValue.fromS(namespace),
                        DynamoDbLayout.SORT_KEY, AttributeValue.fromS(key)))).join().item();
    }

    void put(String table, Map<String, AttributeValue> item) {
        admin.putItem(b -> b.tableName(table).item(item)).join();
    }

    void delete(String table, String namespace, String key) {
        admin.deleteItem(b -> b.tableName(table).key(Map.of(
                DynamoDbLayout.PARTITION_KEY, AttributeValue.fromS(namespace),
                DynamoDbLayout.SORT_KEY, AttributeValue.fromS(key)))).join();
    }

    @Override
    public void close() {
        admin.close();
    }
}
