package dev.bigsegments.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.launchdarkly.sdk.EvaluationReason.BigSegmentsStatus;
import com.launchdarkly.sdk.server.subsystems.BigSegmentStore;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.store.MembershipStore;
import dev.bigsegments.store.SetOp;
import dev.bigsegments.store.StoreContract;
import dev.bigsegments.store.StoreWriteException;
import dev.bigsegments.testkit.Evaluation;
import dev.bigsegments.testkit.RedisAdmin;
import dev.bigsegments.testkit.RedisBigSegmentStoreReader;
import dev.bigsegments.testkit.SdkProbe;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The writer contract for Redis, run against each way Redis is deployed: one server, a master under Sentinel, a
 * Redis Cluster ({@link RedisStandaloneContractTest}, {@link RedisSentinelContractTest},
 * {@link RedisClusterContractTest}), read back through the LaunchDarkly SDK with readers of each kind.
 */
abstract class RedisStoreContract extends StoreContract<RedisMembershipStore> {

    /** The store's URI, as the writer is configured with it. */
    protected abstract String uri();

    /** A URI of the same form where nothing answers. */
    protected abstract String unreachableUri() throws IOException;

    /** The ports of the servers that hold the data (the master, or every master of a cluster). */
    protected abstract List<Integer> dataPorts();

    /** Runs commands as an administrator would, on whatever {@link #uri()} names. */
    protected void asAdmin(Consumer<RedisClusterCommands<String, String>> commands) {
        try (RedisAdmin admin = new RedisAdmin(uri())) {
            commands.accept(admin.commands());
        }
    }

    @Override
    protected RedisMembershipStore createStore(Map<String, String> prefixesByEnvironment) {
        return RedisMembershipStore.builder().uri(uri()).prefixes(prefixesByEnvironment).build();
    }

    @Override
    protected RedisMembershipStore createUnreachableStore(Map<String, String> prefixesByEnvironment)
            throws IOException {
        return RedisMembershipStore.builder().uri(unreachableUri()).commandTimeout(Duration.ofSeconds(2))
                .prefixes(prefixesByEnvironment).build();
    }

    @Override
    protected void corruptIncluded(String prefix, String contextHash) {
        asAdmin(c -> c.set(RedisLayout.forPrefix(prefix).includeKey(contextHash), "not a set"));
    }

    @Override
    protected BigSegmentStore createReader(String prefix) {
        return new RedisBigSegmentStoreReader(uri(), prefix);
    }

    @Test
    void aMembershipKeyOfAnotherTypeMakesTheSdkReportStoreError() throws Exception {
        stampNow(ENV_A);
        String includeKey = RedisLayout.forPrefix(prefixA).includeKey(ContextHashes.hash("user1"));
        asAdmin(c -> c.set(includeKey, REF));
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
    void batchesInFlightWhenTheStoreStopsAnsweringFailAsTransientAndGiveTheirWindowBack() throws Exception {
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(uri()).prefixes(Map.of(ENV_A, prefixA))
                .commandTimeout(Duration.ofMillis(500)).maxInFlight(100).build()) {
            store.apply(includes(1_000, 1_001));
            for (int port : dataPorts()) {
                pauseWrites(port, Duration.ofSeconds(3));
            }
            MembershipStore.Sent first = store.send(includes(0, 50));
            MembershipStore.Sent second = store.send(includes(50, 90));
            assertThatThrownBy(first::await)
                    .isInstanceOfSatisfying(StoreWriteException.class, e -> assertThat(e.transientFailure()).isTrue());
            assertThatThrownBy(second::await)
                    .isInstanceOfSatisfying(StoreWriteException.class, e -> assertThat(e.transientFailure()).isTrue());
            // A batch as large as the whole window goes through once the servers answer again.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> store.apply(includes(0, 100)));
        }
        try (BigSegmentStore reader = createReader(prefixA)) {
            for (int i = 0; i < 100; i++) {
                assertThat(reader.getMembership(ContextHashes.hash("user-" + i)).checkMembership(REF))
                        .as("user-%d", i).isTrue();
            }
        }
    }

    private static List<SetOp> includes(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> new SetOp(ENV_A, ContextHashes.hash("user-" + i), MemberList.INCLUDED, REF, true))
                .toList();
    }

    /** {@code CLIENT PAUSE ms WRITE} on one server: it holds every write, answering nothing, for that long. */
    private static void pauseWrites(int port, Duration duration) {
        try (RedisAdmin admin = new RedisAdmin("redis://127.0.0.1:" + port)) {
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("PAUSE")
                    .add(duration.toMillis()).add("WRITE");
            assertThat(admin.commands().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), args))
                    .isEqualTo("OK");
        }
    }

    @Test
    void aBatchLargerThanThePipelineWindowIsAppliedCompletely() throws Exception {
        List<SetOp> ops = IntStream.range(0, 2_500)
                .mapToObj(i -> new SetOp(ENV_A, ContextHashes.hash("user-" + i),
                        MemberList.INCLUDED, REF, true))
                .toList();
        try (RedisMembershipStore small = RedisMembershipStore.builder().uri(uri())
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
