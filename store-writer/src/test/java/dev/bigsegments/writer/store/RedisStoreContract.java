package dev.bigsegments.writer.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.launchdarkly.sdk.EvaluationReason.BigSegmentsStatus;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStore;
import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.testkit.Evaluation;
import dev.bigsegments.testkit.MembershipStoreContractTest;
import dev.bigsegments.testkit.RedisBigSegmentStoreReader;
import dev.bigsegments.testkit.SdkProbe;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisMembershipStoreContractTest extends MembershipStoreContractTest<RedisMembershipStore> {
    private static EmbeddedRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected RedisMembershipStore createStore(Map<String, String> prefixesByEnvironment) {
        return RedisMembershipStore.builder().uri(redis.uri()).prefixes(prefixesByEnvironment).build();
    }

    @Override
    protected void apply(RedisMembershipStore store, List<Op> ops) {
        store.apply(ops.stream()
                .map(o -> new SetOp(o.environmentId(), o.contextHash(), o.list(), o.segmentRef(), o.add()))
                .toList());
    }

    @Override
    protected void stamp(RedisMembershipStore store, String environmentId, long unixMs) {
        store.stampSynchronizedOn(environmentId, unixMs);
    }

    @Override
    protected void clearStamp(RedisMembershipStore store, String environmentId) {
        store.clearSynchronizedOn(environmentId);
    }

    @Override
    protected Map<Integer, String> fillMarkers(RedisMembershipStore store, String environmentId, List<Integer> partitions) {
        return store.fillMarkers(environmentId, partitions);
    }

    @Override
    protected void markFilled(RedisMembershipStore store, String environmentId, List<Integer> partitions, String group) {
        store.markFilled(environmentId, partitions, group);
    }

    @Override
    protected BigSegmentStore createReader(String prefix) {
        return new RedisBigSegmentStoreReader(redis.uri(), prefix);
    }

    @Test
    void aMembershipKeyOfAnotherTypeMakesTheSdkReportStoreError() throws Exception {
        stampNow(ENV_A);
        String includeKey = RedisLayout.forPrefix(prefixA).includeKey(ContextHashes.hash("user1"));
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set(includeKey, REF);
        } finally {
            client.shutdown();
        }
        assertEventually(probe(prefixA), "user1", new Evaluation(false, BigSegmentsStatus.STORE_ERROR));
    }

    @Test
    void anEmptyPrefixWritesWhereAnSdkWithoutPrefixReads() throws Exception {
        try (RedisMembershipStore unprefixed = createStore(Map.of(ENV_A, ""))) {
            unprefixed.apply(List.of(new SetOp(ENV_A, ContextHashes.hash("user-key"),
                    MemberList.INCLUDED, REF, true)));
            unprefixed.stampSynchronizedOn(ENV_A, System.currentTimeMillis());
        }
        try (SdkProbe probe = SdkProbe.forSegment(SEGMENT, GENERATION, createReader(null), STALE_AFTER)) {
            assertEventually(probe, "user-key", Evaluation.healthy(true));
        }
    }

    @Test
    void aBatchLargerThanThePipelineWindowIsAppliedCompletely() throws Exception {
        List<SetOp> ops = IntStream.range(0, 2_500)
                .mapToObj(i -> new SetOp(ENV_A, ContextHashes.hash("user-" + i),
                        MemberList.INCLUDED, REF, true))
                .toList();
        try (RedisMembershipStore small = RedisMembershipStore.builder().uri(redis.uri())
                .prefixes(Map.of(ENV_A, prefixA)).flushEvery(100).maxInFlight(700).build()) {
            small.apply(ops);
        }
        try (BigSegmentStore reader = createReader(prefixA)) {
            for (int i = 0; i < 2_500; i++) {
                assertThat(reader.getMembership(ContextHashes.hash("user-" + i)).checkMembership(REF))
                        .as("user-%d", i).isTrue();
            }
        }
    }
}
