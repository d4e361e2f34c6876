package dev.bigsegments.store.dynamodb;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Fails every DynamoDB operation outside the permissions LaunchDarkly documents for a big-segment writer,
 * as an IAM policy limited to them would, and remembers what was refused.
 */
final class OnlyDocumentedOperations implements ExecutionInterceptor {
    static final Set<String> ALLOWED = Set.of("GetItem", "PutItem", "UpdateItem", "ConditionCheckItem");

    private final List<String> refused = new CopyOnWriteArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (!ALLOWED.contains(operation)) {
            refused.add(operation);
            throw new IllegalStateException("AccessDenied: " + operation + " is not among " + ALLOWED);
        }
    }

    List<String> refused() {
        return List.copyOf(refused);
    }
}
