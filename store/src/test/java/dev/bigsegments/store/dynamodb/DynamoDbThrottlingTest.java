package dev.bigsegments.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.launchdarkly.sdk.server.subsystems.BigSegmentStore;
import dev.bigsegments.embedded.EmbeddedDynalite;
import dev.bigsegments.schemas.Backoff;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.store.SetOp;
import dev.bigsegments.store.StoreWriteException;
import dev.bigsegments.testkit.DynamoDbBigSegmentStoreReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DynamoDB throttles: the store backs off, retries and loses nothing; retries are bounded. */
class DynamoDbThrottlingTest {
    private static final String TABLE = "throttled";
    private static final String ENV = "env";
    private static final String REF = "seg.g1";
    private static EmbeddedDynalite dynalite;
    private static DynaliteTables tables;

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

    @Test
    void aThrottledBatchIsRetriedWithBackoffUntilEveryUpdateIsApplied() throws Exception {
        int contexts = 400;
        try (ThrottlingProxy proxy = new ThrottlingProxy(dynalite.endpoint(), 60);
                DynamoDbMembershipStore store = DynaliteTables.storeFor(dynalite).endpoint(proxy.endpoint())
                        .defaultTable(TABLE).prefixes(Map.of(ENV, "t1")).maxConcurrency(16).build()) {
            store.apply(ops("t1", contexts));
            store.stampSynchronizedOn(ENV, 42L);
            assertThat(proxy.throttled()).isEqualTo(60);
            // Every throttled write was retried and every item then written. (On a loaded machine the HTTP client may
            // send a write again over a new connection when a kept-alive one was closed under it: harmless, as
            // every update is idempotent, so the count is a floor.)
            assertThat(store.retries()).isGreaterThanOrEqualTo(60);
            assertThat(proxy.writes()).isGreaterThanOrEqualTo(60 + contexts + 1);
        }
        try (BigSegmentStore reader = new DynamoDbBigSegmentStoreReader(dynalite.endpoint(), TABLE, "t1")) {
            for (int i = 0; i < contexts; i++) {
                assertThat(reader.getMembership(ContextHashes.hash("user-" + i)).checkMembership(REF))
                        .as("user-%d", i).isTrue();
            }
            assertThat(reader.getMetadata().getLastUpToDate()).isEqualTo(42L);
        }
    }

    @Test
    void throttlingThatOutlastsTheRetriesIsATransientFailureNamingTheItem() throws Exception {
        try (ThrottlingProxy proxy = new ThrottlingProxy(dynalite.endpoint(), Integer.MAX_VALUE);
                DynamoDbMembershipStore store = DynaliteTables.storeFor(dynalite).endpoint(proxy.endpoint())
                        .defaultTable(TABLE).prefixes(Map.of(ENV, "t2"))
                        .backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), 3)).build()) {
            List<SetOp> one = ops("t2", 1);
            assertThatThrownBy(() -> store.apply(one))
                    .isInstanceOfSatisfying(StoreWriteException.class, e -> assertThat(e.transientFailure()).isTrue())
                    .hasMessageContaining("ProvisionedThroughputExceeded")
                    .hasMessageContaining(one.get(0).contextHash())
                    .hasMessageContaining("attempt 3");
            assertThat(proxy.throttled()).isEqualTo(3);
        }
    }

    private static List<SetOp> ops(String tag, int contexts) {
        return IntStream.range(0, contexts)
                .mapToObj(i -> new SetOp(ENV, ContextHashes.hash("user-" + i), MemberList.INCLUDED, REF, true))
                .toList();
    }
}
