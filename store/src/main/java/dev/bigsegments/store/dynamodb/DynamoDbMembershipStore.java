package dev.bigsegments.store.dynamodb;

import dev.bigsegments.schemas.Backoff;
import dev.bigsegments.store.MembershipStore;
import dev.bigsegments.store.SetOp;
import dev.bigsegments.store.StoreWriteException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Writes big-segment membership to DynamoDB with UpdateItem ADD/DELETE on string sets and stamps
 * {@code synchronizedOn} with a conditional UpdateItem ({@link #stampWhileFilled}), so it runs with only the
 * permissions LaunchDarkly documents (GetItem, PutItem, UpdateItem, ConditionCheckItem). Each environment writes
 * to its own table and prefix.
 */
public final class DynamoDbMembershipStore implements MembershipStore {
    private final DynamoDbAsyncClient client;
    private final boolean ownsClient;
    private final Map<String, DynamoDbLayout> layouts;
    private final String endpoint;
    private final ScheduledExecutorService retryScheduler;
    private final BoundedCalls calls;

    DynamoDbMembershipStore(DynamoDbAsyncClient client, boolean ownsClient, Map<String, DynamoDbLayout> layouts,
            String endpoint, int maxConcurrency, Backoff backoff) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.layouts = Map.copyOf(layouts);
        this.endpoint = endpoint;
        this.retryScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dynamodb-writer-retries");
            t.setDaemon(true);
            return t;
        });
        this.calls = new BoundedCalls(maxConcurrency, backoff, retryScheduler);
    }

    public static DynamoDbStoreBuilder builder() {
        return new DynamoDbStoreBuilder();
    }

    @Override
    public void apply(List<SetOp> ops) {
        if (ops.isEmpty()) {
            return;
        }
        List<BoundedCalls.Call> updates = new ArrayList<>();
        for (ItemUpdate update : ItemUpdatePlanner.plan(ops)) {
            DynamoDbLayout layout = layout(update.environmentId());
            updates.add(new BoundedCalls.Call(describe("UpdateItem", layout.table(), layout.membershipNamespace(), update.contextHash(),
                    update.environmentId()), () -> client.updateItem(UpdateExpressions.request(layout, update))));
        }
        calls.runAll(updates);
    }

    @Override
    public void stampSynchronizedOn(String environmentId, long unixMs) {
        DynamoDbLayout layout = layout(environmentId);
        Map<String, AttributeValue> item = new HashMap<>(metadataKey(layout));
        item.put(DynamoDbLayout.SYNCHRONIZED_ON, AttributeValue.fromN(Long.toString(unixMs)));
        PutItemRequest put = PutItemRequest.builder().tableName(layout.table()).item(item).build();
        calls.runAll(List.of(new BoundedCalls.Call(describe("PutItem", layout.table(), layout.metadataKey(),
                layout.metadataKey(), environmentId),
                () -> client.putItem(put))));
    }

    /**
     * A fresh token goes to the metadata item's {@code stampGuard} attribute, the markers are read, and the stamp
     * is an UpdateItem on the condition that the guard still holds the token. A table emptied (or its metadata
     * item deleted) after the token was written fails the condition; one emptied before has lost its markers.
     * Deleting items one by one is never one step: the markers are read again after the stamp, and one gone
     * removes it.
     */
    @Override
    public boolean stampWhileFilled(String environmentId, long unixMs, Collection<Integer> partitions,
            String group) {
        DynamoDbLayout layout = layout(environmentId);
        String what = describe("UpdateItem", layout.table(), layout.metadataKey(), layout.metadataKey(), environmentId);
        Map<String, String> names = Map.of("#g", DynamoDbLayout.STAMP_GUARD, "#s", DynamoDbLayout.SYNCHRONIZED_ON);
        AttributeValue token = AttributeValue.fromS(UUID.randomUUID().toString());
        UpdateItemRequest guard = UpdateItemRequest.builder().tableName(layout.table()).key(metadataKey(layout))
                .updateExpression("SET #g = :t").expressionAttributeNames(Map.of("#g", DynamoDbLayout.STAMP_GUARD))
                .expressionAttributeValues(Map.of(":t", token)).build();
        calls.runAll(List.of(new BoundedCalls.Call(what, () -> client.updateItem(guard))));
        if (!MembershipStore.filledBy(fillMarkers(environmentId, partitions), partitions, group)) {
            return false;
        }
        UpdateItemRequest stamp = UpdateItemRequest.builder().tableName(layout.table()).key(metadataKey(layout))
                .updateExpression("SET #s = :n").conditionExpression("#g = :t").expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Long.toString(unixMs)), ":t", token))
                .build();
        AtomicBoolean stamped = new AtomicBoolean();
        calls.runAll(List.of(new BoundedCalls.Call(what, () -> client.updateItem(stamp).handle((answer, error) -> {
            if (error == null) {
                stamped.set(true);
            } else if (!(DynamoDbFailures.unwrap(error) instanceof ConditionalCheckFailedException)) {
                throw error instanceof CompletionException c ? c : new CompletionException(error);
            }
            return answer;
        }))));
        if (stamped.get() && !MembershipStore.filledBy(fillMarkers(environmentId, partitions), partitions, group)) {
            clearSynchronizedOn(environmentId);
            return false;
        }
        return stamped.get();
    }

    /** UpdateItem REMOVE: DeleteItem is not among the permissions the writer has. */
    @Override
    public void clearSynchronizedOn(String environmentId) {
        DynamoDbLayout layout = layout(environmentId);
        UpdateItemRequest remove = UpdateItemRequest.builder().tableName(layout.table()).key(metadataKey(layout))
                .updateExpression("REMOVE #s").expressionAttributeNames(Map.of("#s", DynamoDbLayout.SYNCHRONIZED_ON))
                .build();
        calls.runAll(List.of(new BoundedCalls.Call(describe("UpdateItem", layout.table(), layout.metadataKey(),
                layout.metadataKey(), environmentId), () -> client.updateItem(remove))));
    }

    /** Strongly consistent GetItems, as SDKs read; BatchGetItem is not among the writer's permissions. */
    @Override
    public Map<Integer, String> fillMarkers(String environmentId, Collection<Integer> partitions) {
        DynamoDbLayout layout = layout(environmentId);
        Map<Integer, String> markers = new ConcurrentHashMap<>();
        List<BoundedCalls.Call> gets = new ArrayList<>();
        for (int partition : partitions) {
            GetItemRequest get = GetItemRequest.builder().tableName(layout.table()).key(fillKey(layout, partition))
                    .consistentRead(true).build();
            gets.add(new BoundedCalls.Call(describe("GetItem", layout.table(), layout.fillNamespace(),
                    Integer.toString(partition), environmentId), () -> client.getItem(get).thenAccept(answer -> {
                        AttributeValue group = answer.item() == null ? null : answer.item().get(DynamoDbLayout.FILLED_BY);
                        if (group != null && group.s() != null) {
                            markers.put(partition, group.s());
                        }
                    })));
        }
        calls.runAll(gets);
        return new HashMap<>(markers);
    }

    @Override
    public void markFilled(String environmentId, Collection<Integer> partitions, String group) {
        DynamoDbLayout layout = layout(environmentId);
        List<BoundedCalls.Call> puts = new ArrayList<>();
        for (int partition : partitions) {
            Map<String, AttributeValue> item = new HashMap<>(fillKey(layout, partition));
            item.put(DynamoDbLayout.FILLED_BY, AttributeValue.fromS(group));
            PutItemRequest put = PutItemRequest.builder().tableName(layout.table()).item(item).build();
            puts.add(new BoundedCalls.Call(describe("PutItem", layout.table(), layout.fillNamespace(),
                    Integer.toString(partition), environmentId), () -> client.putItem(put)));
        }
        calls.runAll(puts);
    }

    private static Map<String, AttributeValue> fillKey(DynamoDbLayout layout, int partition) {
        return Map.of(DynamoDbLayout.PARTITION_KEY, AttributeValue.fromS(layout.fillNamespace()),
                DynamoDbLayout.SORT_KEY, AttributeValue.fromS(Integer.toString(partition)));
    }

    /** A strongly consistent GetItem of one metadata item: the permission the writer has anyway. */
    @Override
    public boolean isReachable() {
        try {
            DynamoDbLayout layout = layouts.values().iterator().next();
            client.getItem(GetItemRequest.builder().tableName(layout.table()).key(metadataKey(layout))
                    .consistentRead(true).build()).get(10, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return "dynamodb://" + endpoint + "/" + String.join(",", layouts.values().stream()
                .map(DynamoDbLayout::table).distinct().sorted().toList());
    }

    /** Transient failures retried inside this store so far. */
    public long retries() {
        return calls.retries();
    }

    private DynamoDbLayout layout(String environmentId) {
        DynamoDbLayout layout = layouts.get(environmentId);
        if (layout == null) {
            throw StoreWriteException.permanent("no DynamoDB table configured for environment " + environmentId, null);
        }
        return layout;
    }

    static Map<String, AttributeValue> metadataKey(DynamoDbLayout layout) {
        return Map.of(DynamoDbLayout.PARTITION_KEY, AttributeValue.fromS(layout.metadataKey()),
                DynamoDbLayout.SORT_KEY, AttributeValue.fromS(layout.metadataKey()));
    }

    /** The coordinates of one item, for error messages: never a raw context key. */
    private static String describe(String operation, String table, String namespace, String sortKey,
            String environmentId) {
        return operation + " table " + table + " namespace " + namespace + " key " + sortKey + " (environment "
                + environmentId + ")";
    }

    @Override
    public void close() {
        retryScheduler.shutdownNow();
        if (ownsClient) {
            client.close();
        }
    }
}
