package dev.bigsegments.store.dynamodb;

import java.util.List;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Creates big-segment tables (partition key {@code namespace}, sort key {@code key}, both strings,
 * on-demand billing). Only on explicit request: normally the operator owns the table.
 */
public final class DynamoDbTables {
    private DynamoDbTables() {
    }

    public static void createMissing(DynamoDbAsyncClient client, List<String> tables) {
        for (String table : tables) {
            if (!exists(client, table)) {
                client.createTable(b -> b.tableName(table)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(key(DynamoDbLayout.PARTITION_KEY, KeyType.HASH), key(DynamoDbLayout.SORT_KEY, KeyType.RANGE))
                        .attributeDefinitions(string(DynamoDbLayout.PARTITION_KEY), string(DynamoDbLayout.SORT_KEY)))
                        .join();
                client.waiter().waitUntilTableExists(b -> b.tableName(table)).join();
            }
        }
    }

    private static boolean exists(DynamoDbAsyncClient client, String table) {
        try {
            client.describeTable(b -> b.tableName(table)).join();
            return true;
        } catch (CompletionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return false;
            }
            throw e;
        }
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
