package dev.bigsegments.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.launchdarkly.sdk.server.subsystems.BigSegmentStore;
import dev.bigsegments.embedded.EmbeddedDynalite;
import dev.bigsegments.schemas.Backoff;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentRef;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.store.SetOp;
import dev.bigsegments.store.StoreContract;
import dev.bigsegments.store.StoreWriteException;
import dev.bigsegments.testkit.DynamoDbBigSegmentStoreReader;
import dev.bigsegments.testkit.Evaluation;
import dev.bigsegments.testkit.SdkProbe;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The writer contract against dynalite, read back through the LaunchDarkly SDK, with every store built
 * under an interceptor that fails any operation outside GetItem, PutItem, UpdateItem and ConditionCheckItem.
 */
class DynamoDbMembershipStoreContractTest extends StoreContract<DynamoDbMembershipStore> {
    private static final String TABLE = "bigsegments";
    private static EmbeddedDynalite dynalite;
    private static DynaliteTables tables;
    private final OnlyDocumentedOperations permissions = new OnlyDocumentedOperations();

    @BeforeAll
    static void startDynalite() {
        dynalite = EmbeddedDynalite.start();
        tables = new DynaliteTables(dynalite.endpoint());
        tables.create(TABLE);
    }

    @AfterAll
    static void stopDynalite() {
        tables.close();
        dynalite.close();
    }

    @AfterEach
    void usedOnlyDocumentedOperations() {
        assertThat(permissions.refused()).as("operations outside the documented permissions").isEmpty();
    }

    @Override
    protected DynamoDbMembershipStore createStore(Map<String, String> prefixesByEnvironment) {
        return restricted().prefixes(prefixesByEnvironment).build();
    }

    private DynamoDbStoreBuilder restricted() {
        return DynaliteTables.storeFor(dynalite).defaultTable(TABLE)
                .clientOverrides(o -> o.addExecutionInterceptor(permissions));
    }

    @Override
    protected BigSegmentStore createReader(String prefix) {
        return new DynamoDbBigSegmentStoreReader(dynalite.endpoint(), TABLE, prefix);
    }

    /** {@code included} as a string, not a string set: an UpdateItem ADD on it is refused. */
    @Override
    protected void corruptIncluded(String prefix, String contextHash) {
        tables.put(TABLE, Map.of(DynamoDbLayout.PARTITION_KEY,
                AttributeValue.fromS(DynamoDbLayout.of(TABLE, prefix).membershipNamespace()),
                DynamoDbLayout.SORT_KEY, AttributeValue.fromS(contextHash),
                DynamoDbLayout.INCLUDED, AttributeValue.fromS("not a set")));
    }

    @Override
    protected DynamoDbMembershipStore createUnreachableStore(Map<String, String> prefixesByEnvironment)
            throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        return DynaliteTables.storeFor(dynalite).endpoint(URI.create("http://127.0.0.1:" + closedPort))
                .defaultTable(TABLE).backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), 2))
                .prefixes(prefixesByEnvironment).build();
    }

    @Test
    void theInterceptorRefusesAnOperationOutsideThePermissions() {
        OnlyDocumentedOperations strict = new OnlyDocumentedOperations();
        assertThatThrownBy(() -> restricted().clientOverrides(o -> o.addExecutionInterceptor(strict))
                .prefixes(Map.of(ENV_A, prefixA)).createTables(true).build())
                .hasMessageContaining("DescribeTable");
        assertThat(strict.refused()).containsExactly("DescribeTable");
    }

    @Test
    void synchronizedOnIsStoredAsANumber() {
        store.stampSynchronizedOn(ENV_A, 1_700_000_000_123L);
        String key = DynamoDbLayout.of(TABLE, prefixA).metadataKey();
        assertThat(tables.item(TABLE, key, key).get(DynamoDbLayout.SYNCHRONIZED_ON).n()).isEqualTo("1700000000123");
        assertThat(store.isReachable()).isTrue();
    }

    @Test
    void addingOneRefAndRemovingAnotherFromTheSameListInOneBatchAppliesBoth() throws Exception {
        String oldRef = SegmentRef.of(SEGMENT, GENERATION - 1);
        apply(store, List.of(op(ENV_A, "user1", MemberList.INCLUDED, oldRef, true),
                op(ENV_A, "user1", MemberList.EXCLUDED, oldRef, true)));
        apply(store, List.of(op(ENV_A, "user1", MemberList.INCLUDED, oldRef, false), include("user1"),
                op(ENV_A, "user1", MemberList.EXCLUDED, oldRef, false), exclude("user1")));
        assertThat(membership(prefixA, "user1", oldRef)).isNull();
        assertThat(membership(prefixA, "user1", REF)).isTrue();
        stampNow(ENV_A);
        assertEventually(probe(prefixA), "user1", Evaluation.healthy(true));
    }

    @Test
    void removingTheLastRefLeavesAnItemThatReadsAsNoMembership() throws Exception {
        apply(store, List.of(include("user1")));
        apply(store, List.of(remove(include("user1"))));
        Map<String, ?> item = tables.item(TABLE, DynamoDbLayout.of(TABLE, prefixA).membershipNamespace(),
                ContextHashes.hash("user1"));
        assertThat(item).doesNotContainKey(DynamoDbLayout.INCLUDED);
        assertThat(membership(prefixA, "user1", REF)).isNull();
    }

    @Test
    void anEmptyPrefixWritesWhereAnSdkWithoutPrefixReads() throws Exception {
        try (DynamoDbMembershipStore unprefixed = createStore(Map.of(ENV_A, ""))) {
            unprefixed.apply(List.of(new SetOp(ENV_A, ContextHashes.hash("user-key"), MemberList.INCLUDED, REF, true)));
            unprefixed.stampSynchronizedOn(ENV_A, System.currentTimeMillis());
        }
        try (SdkProbe probe = SdkProbe.forSegment(SEGMENT, GENERATION, createReader(null), STALE_AFTER)) {
            assertEventually(probe, "user-key", Evaluation.healthy(true));
        }
    }

    @Test
    void eachEnvironmentWritesToItsOwnTable() throws Exception {
        tables.create("bigsegments-b");
        try (DynamoDbMembershipStore twoTables = restricted().prefixes(Map.of(ENV_A, prefixA))
                .tables(Map.of(ENV_B, "bigsegments-b")).build()) {
            apply(twoTables, List.of(op(ENV_B, "user2", MemberList.INCLUDED, REF, true)));
        }
        try (BigSegmentStore inB = new DynamoDbBigSegmentStoreReader(dynalite.endpoint(), "bigsegments-b", null);
                BigSegmentStore inDefault = createReader(null)) {
            assertThat(inB.getMembership(ContextHashes.hash("user2")).checkMembership(REF)).isTrue();
            assertThat(inDefault.getMembership(ContextHashes.hash("user2")).checkMembership(REF)).isNull();
        }
    }

    @Test
    void aBatchFarLargerThanTheConcurrencyIsAppliedCompletely() throws Exception {
        List<SetOp> ops = IntStream.range(0, 1_500)
                .mapToObj(i -> new SetOp(ENV_A, ContextHashes.hash("user-" + i), MemberList.INCLUDED, REF, true))
                .toList();
        try (DynamoDbMembershipStore narrow = restricted().prefixes(Map.of(ENV_A, prefixA)).maxConcurrency(4).build()) {
            narrow.apply(ops);
        }
        try (BigSegmentStore reader = createReader(prefixA)) {
            for (int i = 0; i < 1_500; i++) {
                assertThat(reader.getMembership(ContextHashes.hash("user-" + i)).checkMembership(REF))
                        .as("user-%d", i).isTrue();
            }
        }
    }

    @Test
    void aMissingTableIsPermanentAndTheMessageNamesTheItemByHashOnly() {
        String rawKey = "alice@example.com";
        String hash = ContextHashes.hash(rawKey);
        try (DynamoDbMembershipStore wrong = restricted().prefixes(Map.of(ENV_A, prefixA)).defaultTable("no-such-table")
                .build()) {
            assertThatThrownBy(() -> wrong.apply(List.of(new SetOp(ENV_A, hash, MemberList.INCLUDED, REF, true))))
                    .isInstanceOfSatisfying(StoreWriteException.class, e -> assertThat(e.transientFailure()).isFalse())
                    .hasMessageContaining("no-such-table")
                    .hasMessageContaining(hash)
                    .hasMessageNotContaining(rawKey);
            assertThat(wrong.isReachable()).isFalse();
        }
    }

    /**
     * The table emptied at the worst moment, after the markers were read and just before the request that sets
     * {@code synchronizedOn} goes out: the stamp must not be written, not even until the markers are read again.
     * An interceptor deletes the metadata item and the markers then, and reads the item back as soon as that
     * request has its answer.
     */
    @Test
    void aTableEmptiedJustBeforeTheStampIsNeverStamped() {
        List<Integer> partitions = List.of(0, 1, 2);
        DynamoDbLayout layout = DynamoDbLayout.of(TABLE, prefixA);
        EmptiedBeforeTheStamp fault = new EmptiedBeforeTheStamp(layout, partitions);
        try (DynamoDbMembershipStore store = DynaliteTables.storeFor(dynalite).defaultTable(TABLE)
                .clientOverrides(o -> o.addExecutionInterceptor(permissions).addExecutionInterceptor(fault))
                .prefixes(Map.of(ENV_A, prefixA)).build()) {
            store.markFilled(ENV_A, partitions, "group");
            assertThat(store.stampWhileFilled(ENV_A, 42, partitions, "group")).isFalse();
        }
        assertThat(fault.emptied).as("the table was emptied before the stamp").isTrue();
        assertThat(fault.stampAfter).as("synchronizedOn as the stamp request answered").isNull();
        assertThat(fault.answered).as("the stamp request answered").isTrue();
    }

    /** Empties the environment's items before the first request that sets the stamp; reads the stamp after it. */
    private final class EmptiedBeforeTheStamp implements ExecutionInterceptor {
        private final DynamoDbLayout layout;
        private final List<Integer> partitions;
        private volatile boolean emptied;
        private volatile boolean answered;
        private volatile AttributeValue stampAfter;

        EmptiedBeforeTheStamp(DynamoDbLayout layout, List<Integer> partitions) {
            this.layout = layout;
            this.partitions = partitions;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (!emptied && setsTheStamp(context.request())) {
                tables.delete(TABLE, layout.metadataKey(), layout.metadataKey());
                partitions.forEach(p -> tables.delete(TABLE, layout.fillNamespace(), Integer.toString(p)));
                emptied = true;
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            readBack(context.request());
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            readBack(context.request());
        }

        private void readBack(SdkRequest request) {
            if (setsTheStamp(request)) {
                Map<String, AttributeValue> item = tables.item(TABLE, layout.metadataKey(), layout.metadataKey());
                stampAfter = item == null ? null : item.get(DynamoDbLayout.SYNCHRONIZED_ON);
                answered = true;
            }
        }

        private static boolean setsTheStamp(SdkRequest request) {
            return request instanceof PutItemRequest put && put.item().containsKey(DynamoDbLayout.SYNCHRONIZED_ON)
                    || request instanceof UpdateItemRequest update && update.updateExpression().startsWith("SET")
                            && update.expressionAttributeNames().containsValue(DynamoDbLayout.SYNCHRONIZED_ON);
        }
    }
}
