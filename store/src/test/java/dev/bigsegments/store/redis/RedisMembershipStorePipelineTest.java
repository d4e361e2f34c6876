package dev.bigsegments.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.store.MembershipStore;
import dev.bigsegments.store.SetOp;
import dev.bigsegments.store.StoreWriteException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipelined protocol against a real server: every reply is counted against the command it answers,
 * however the replies are split across reads and batches, and a broken connection is replaced.
 */
class RedisMembershipStorePipelineTest {
    private static final String ENV = "env";
    private static final String REF = "seg.g1";
    private static EmbeddedRedis redis;
    private static RedisClient admin;
    private static StatefulRedisConnection<String, String> adminConnection;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
        admin = RedisClient.create(redis.uri());
        adminConnection = admin.connect();
    }

    @AfterAll
    static void stopRedis() {
        adminConnection.close();
        admin.shutdown();
        redis.close();
    }

    @Test
    void aWrongTypeInTheMiddleOfALongPipelineNamesExactlyThatKeyAndEveryOtherCommandIsApplied() {
        String prefix = "middle";
        List<SetOp> ops = adds(20_000, "user-");
        String wrong = ops.get(12_345).contextHash();
        sync().set(RedisLayout.forPrefix(prefix).includeKey(wrong), "not a set");
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(redis.uri())
                .prefixes(Map.of(ENV, prefix)).flushEvery(97).maxInFlight(1_000).build()) {
            assertThatThrownBy(() -> store.apply(ops))
                    .isInstanceOfSatisfying(StoreWriteException.class, e -> assertThat(e.transientFailure()).isFalse())
                    .hasMessage("SADD " + RedisLayout.forPrefix(prefix).includeKey(wrong)
                            + " failed: WRONGTYPE Operation against a key holding the wrong kind of value");
            // The connection is still in step: the next batch's replies are its own.
            store.apply(List.of(new SetOp(ENV, ContextHashes.hash("after"), MemberList.INCLUDED, REF, true)));
        }
        RedisLayout layout = RedisLayout.forPrefix(prefix);
        for (SetOp op : ops) {
            if (!op.contextHash().equals(wrong)) {
                assertThat(sync().sismember(layout.includeKey(op.contextHash()), REF)).as(op.contextHash()).isTrue();
            }
        }
        assertThat(sync().sismember(layout.includeKey(ContextHashes.hash("after")), REF)).isTrue();
    }

    @Test
    void argumentsOutsideAsciiAreSentAsUtf8WithTheirByteLength() {
        String prefix = "pr\u00e9fixe";
        String ref = "s\u00e8gment-\u65e5\u672c.g1";
        String asciiHash = ContextHashes.hash("plain");
        String oddHash = "h\u00e2sh-\ud83d\ude00";
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(redis.uri())
                .prefixes(Map.of(ENV, prefix)).build()) {
            store.apply(List.of(new SetOp(ENV, asciiHash, MemberList.INCLUDED, ref, true),
                    new SetOp(ENV, oddHash, MemberList.EXCLUDED, REF, true),
                    new SetOp(ENV, asciiHash, MemberList.EXCLUDED, REF, true)));
        }
        RedisLayout layout = RedisLayout.forPrefix(prefix);
        assertThat(sync().smembers(layout.includeKey(asciiHash))).containsExactly(ref);
        assertThat(sync().smembers(layout.excludeKey(oddHash))).containsExactly(REF);
        assertThat(sync().smembers(layout.excludeKey(asciiHash))).containsExactly(REF);
        assertThat(sync().keys(prefix + ":*")).hasSize(3);
    }

    @Test
    void repliesAreAttributedToTheirOwnBatchWhenBatchesOverlap() {
        String prefix = "overlap";
        RedisLayout layout = RedisLayout.forPrefix(prefix);
        List<SetOp> first = adds(5_000, "first-");
        List<SetOp> second = adds(5_000, "second-");
        String wrong = first.get(4_999).contextHash();
        sync().set(layout.includeKey(wrong), "not a set");
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(redis.uri())
                .prefixes(Map.of(ENV, prefix)).flushEvery(50).maxInFlight(300).build()) {
            MembershipStore.Sent a = store.send(first);
            MembershipStore.Sent b = store.send(second);
            b.await();
            assertThatThrownBy(a::await)
                    .isInstanceOfSatisfying(StoreWriteException.class, e -> assertThat(e.transientFailure()).isFalse())
                    .hasMessageContaining(wrong);
        }
        assertIncluded(prefix, second);
    }

    /**
     * Answers give their permits back in groups; a window barely larger than a slice must still never wait for
     * permits that answered commands hold back (the batches here would time out if it did).
     */
    @Test
    void aWindowBarelyLargerThanASliceKeepsSendingBatchAfterBatch() {
        String prefix = "narrow";
        List<SetOp> first = adds(3_001, "narrow-a-");
        List<SetOp> second = adds(2_999, "narrow-b-");
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(redis.uri())
                .prefixes(Map.of(ENV, prefix)).flushEvery(64).maxInFlight(70)
                .commandTimeout(Duration.ofSeconds(2)).build()) {
            MembershipStore.Sent a = store.send(first);
            MembershipStore.Sent b = store.send(second);
            a.await();
            b.await();
        }
        assertIncluded(prefix, first);
        assertIncluded(prefix, second);
    }

    /** Slices go to one server's channel as one message each; a connection without one would be far slower. */
    @Test
    void aStandaloneWriteConnectionWritesToItsOwnChannel() {
        try (RedisLink link = new RedisLink(RedisTopology.parse(redis.uri(), Duration.ofSeconds(5)))) {
            WriteConnection writes = link.writes();
            assertThat(writes.routed()).isFalse();
            assertThat(writes.channel().remoteAddress()).hasToString("/127.0.0.1:" + redis.port());
            link.control().ping();
            assertThat(link.writes()).isSameAs(writes);
        }
    }

    @Test
    void refsOfOneContextGoInOneVariadicCommandAndRemovalsToo() {
        String prefix = "variadic";
        RedisLayout layout = RedisLayout.forPrefix(prefix);
        String hash = ContextHashes.hash("many-segments");
        List<SetOp> ops = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ops.add(new SetOp(ENV, hash, MemberList.INCLUDED, "s" + i + ".g1", true));
        }
        ops.add(new SetOp(ENV, hash, MemberList.EXCLUDED, "ex.g1", true));
        sync().sadd(layout.includeKey(hash), "old.g1", "older.g1", "kept.g1");
        ops.add(new SetOp(ENV, hash, MemberList.INCLUDED, "old.g1", false));
        ops.add(new SetOp(ENV, hash, MemberList.INCLUDED, "older.g1", false));
        long saddsBefore = calls("sadd");
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(redis.uri())
                .prefixes(Map.of(ENV, prefix)).build()) {
            store.apply(ops);
        }
        assertThat(calls("sadd") - saddsBefore).isEqualTo(2);
        assertThat(sync().smembers(layout.includeKey(hash))).hasSize(51).contains("s0.g1", "s49.g1", "kept.g1")
                .doesNotContain("old.g1", "older.g1");
        assertThat(sync().smembers(layout.excludeKey(hash))).containsExactly("ex.g1");
    }

    @Test
    void aConnectionKilledWithABatchInFlightIsATransientFailureAndTheNextAttemptReconnects() {
        String prefix = "killed";
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(redis.uri())
                .prefixes(Map.of(ENV, prefix)).build()) {
            store.apply(adds(10, "before-"));
            List<SetOp> batch = adds(5_000, "during-");
            // Writes wait while the server is paused: the batch is sent and unanswered when its connection dies.
            client("PAUSE", "10000", "WRITE");
            MembershipStore.Sent inFlight = store.send(batch);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> killClientsRunning("sadd") == 1);
            } finally {
                client("UNPAUSE");
            }
            assertThatThrownBy(inFlight::await)
                    .isInstanceOfSatisfying(StoreWriteException.class, e -> assertThat(e.transientFailure()).isTrue());
            store.apply(batch);
            assertIncluded(prefix, batch);
        }
    }

    @Test
    void aConnectionTheServerClosedBetweenBatchesIsReplacedAndNothingIsLost() {
        String prefix = "closed";
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(redis.uri())
                .prefixes(Map.of(ENV, prefix)).build()) {
            store.apply(adds(10, "before-"));
            assertThat(killClientsRunning("sadd")).isEqualTo(1);
            List<SetOp> batch = adds(1_000, "after-");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> store.apply(batch));
        }
        assertIncluded(prefix, adds(1_000, "after-"));
    }

    /** {@code CLIENT <args>} as an administrator types it. */
    private static void client(String... args) {
        CommandArgs<String, String> command = new CommandArgs<>(StringCodec.UTF8);
        for (String arg : args) {
            command.add(arg);
        }
        assertThat(sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), command)).isEqualTo("OK");
    }

    @Test
    void aServerThatStopsAnsweringTimesOutAsTransientAndALaterAttemptSucceeds() {
        String prefix = "paused";
        List<SetOp> batch = adds(100, "paused-");
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(redis.uri())
                .prefixes(Map.of(ENV, prefix)).commandTimeout(Duration.ofMillis(300)).build()) {
            store.apply(adds(1, "before-pause-"));
            sync().clientPause(2_000);
            assertThatThrownBy(() -> store.apply(batch))
                    .isInstanceOfSatisfying(StoreWriteException.class, e -> assertThat(e.transientFailure()).isTrue())
                    .hasMessageContaining("no answer from");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> store.apply(batch));
        }
        assertIncluded(prefix, batch);
    }

    @Test
    void aNonZeroDatabaseIsSelected() {
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(redis.uri() + "/3")
                .prefixes(Map.of(ENV, "db3")).build()) {
            assertThat(store.describe()).endsWith("/3");
            store.apply(adds(1, "db-"));
            store.stampSynchronizedOn(ENV, 42L);
        }
        String key = RedisLayout.forPrefix("db3").includeKey(ContextHashes.hash("db-0"));
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            assertThat(c.sync().exists(key)).isZero();
            c.sync().select(3);
            assertThat(c.sync().sismember(key, REF)).isTrue();
            assertThat(c.sync().get(RedisLayout.forPrefix("db3").synchronizedOnKey())).isEqualTo("42");
        }
    }

    @Test
    void aUnixSocketUriIsRefusedWithAClearError() {
        assertThatThrownBy(() -> RedisMembershipStore.builder().uri("redis-socket:///tmp/redis.sock").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unix socket");
    }

    private static List<SetOp> adds(int n, String keyPrefix) {
        return IntStream.range(0, n)
                .mapToObj(i -> new SetOp(ENV, ContextHashes.hash(keyPrefix + i), MemberList.INCLUDED, REF, true))
                .toList();
    }

    /** Every op's ref is in its context's include set under {@code prefix}. */
    private static void assertIncluded(String prefix, List<SetOp> ops) {
        RedisLayout layout = RedisLayout.forPrefix(prefix);
        for (SetOp op : ops) {
            assertThat(sync().sismember(layout.includeKey(op.contextHash()), REF)).as(op.contextHash()).isTrue();
        }
    }

    private static RedisCommands<String, String> sync() {
        return adminConnection.sync();
    }

    private static long calls(String command) {
        String stats = sync().info("commandstats");
        return Arrays.stream(stats.split("\r?\n")).filter(l -> l.startsWith("cmdstat_" + command + ":"))
                .map(l -> l.replaceAll("^[^:]*:calls=(\\d+),.*", "$1")).mapToLong(Long::parseLong)
                .findFirst().orElse(0);
    }

    /** CLIENT KILL of every connection whose last command was {@code command}; returns how many. */
    private static long killClientsRunning(String command) {
        long killed = 0;
        for (String line : sync().clientList().split("\n")) {
            if (line.contains(" cmd=" + command + " ")) {
                String addr = line.replaceAll(".* addr=(\\S+) .*", "$1").trim();
                killed += "OK".equals(sync().clientKill(addr)) ? 1 : 0;
            }
        }
        return killed;
    }
}
