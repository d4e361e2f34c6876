package dev.bigsegments.store.dynamodb;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Builds the UpdateItem of an {@link ItemUpdate}: {@code ADD #a :a, ... DELETE #b :b, ...} on string sets. */
final class UpdateExpressions {
    private static final String ADD = "ADD ";
    private static final String DELETE = " DELETE ";

    private UpdateExpressions() {
    }

    static UpdateItemRequest request(DynamoDbLayout layout, ItemUpdate update) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String adds = clauses("a", update.adds(), names, values);
        String deletes = clauses("d", update.deletes(), names, values);
        String expression = (adds.isEmpty() ? "" : ADD + adds) + (deletes.isEmpty() ? "" : DELETE + deletes);
        return UpdateItemRequest.builder()
                .tableName(layout.table())
                .key(Map.of(DynamoDbLayout.PARTITION_KEY, AttributeValue.fromS(layout.membershipNamespace()),
                        DynamoDbLayout.SORT_KEY, AttributeValue.fromS(update.contextHash())))
                .updateExpression(expression.strip())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    private static String clauses(String tag, Map<String, List<String>> refsByAttribute, Map<String, String> names,
            Map<String, AttributeValue> values) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, List<String>> e : refsByAttribute.entrySet()) {
            String name = "#" + tag + i;
            String value = ":" + tag + i++;
            names.put(name, e.getKey());
            values.put(value, AttributeValue.fromSs(e.getValue()));
            sb.append(sb.length() == 0 ? "" : ", ").append(name).append(' ').append(value);
        }
        return sb.toString();
    }
}
