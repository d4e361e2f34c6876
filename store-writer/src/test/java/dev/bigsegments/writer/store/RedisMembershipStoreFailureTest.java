package dev.bigsegments.writer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.avro.MemberList;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Failures are classified so the writer retries what can pass later and stops on what cannot. */
class RedisMembershipStoreFailureTest {
    private static final String ENV = "env";
    private static final String RAW_KEY = "alice@example.com";
    private static EmbeddedRedis redis;
    private static RedisClient admin;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
        admin = RedisClient.create(redis.uri());
    }

    @AfterAll
    static void stopRedis() {
        admin.shutdown();
        redis.close();
    }

    @Test
    void aKeyOfTheWrongTypeIsPermanentAndTheMessageNamesOnlyTheHash() {
        String hash = ContextHashes.hash(RAW_KEY);
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            c.sync().set(RedisLayout.forPrefix("wrongtype").includeKey(hash), "not a set");
        }
        try (RedisMembershipStore store = store(redis.uri(), "wrongtype")) {
            assertThatThrownBy(() -> store.apply(List.of(new SetOp(ENV, hash, MemberList.INCLUDED, "s.g1", true))))
                    .isInstanceOfSatisfying(StoreWriteException.class, e -> assertThat(e.transientFailure()).isFalse())
                    .hasMessageContaining("WRONGTYPE")
                    .hasMessageContaining(hash)
                    .hasMessageNotContaining(RAW_KEY);
        }
    }

    @Test
    void anEnvironmentWithoutPrefixIsPermanent() {
        try (RedisMembershipStore store = store(redis.uri(), "p")) {
            assertThatThrownBy(() -> store.stampSynchronizedOn("unknown-env", 1L))
                    .isInstanceOfSatisfying(StoreWriteException.class, e -> assertThat(e.transientFailure()).isFalse());
        }
    }

    @Test
    void anUnreachableServerIsTransient() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri("redis://127.0.0.1:" + closedPort)
                .prefixes(Map.of(ENV, "p")).commandTimeout(Duration.ofSeconds(1)).build()) {
            assertThat(store.isReachable()).isFalse();
            assertThatThrownBy(() -> store.stampSynchronizedOn(ENV, 1L))
                    .isInstanceOfSatisfying(StoreWriteException.class, e -> assertThat(e.transientFailure()).isTrue());
        }
    }

    @Test
    void aServerBusyWithAScriptIsTransient() throws Exception {
        try (StatefulRedisConnection<String, String> c = admin.connect();
                StatefulRedisConnection<String, String> killer = admin.connect();
                RedisMembershipStore store = store(redis.uri(), "busy")) {
            assertThat(store.isReachable()).isTrue();
            // Redis 6.2's name, which Redis 7 keeps beside its own (busy-reply-threshold): runs on either.
            c.sync().configSet("lua-time-limit", "10");
            RedisFuture<Object> script = c.async().eval("while true do end", ScriptOutputType.STATUS);
            try {
                // Until the script has started, the stamp simply succeeds.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(
                        () -> store.stampSynchronizedOn(ENV, 1L))
                        .isInstanceOfSatisfying(StoreWriteException.class,
                                e -> assertThat(e.transientFailure()).isTrue())
                        .hasMessageContaining("BUSY"));
            } finally {
                killer.sync().scriptKill();
                script.await(5, TimeUnit.SECONDS);
            }
        }
    }

    private static RedisMembershipStore store(String uri, String prefix) {
        return RedisMembershipStore.builder().uri(uri).prefixes(Map.of(ENV, prefix)).build();
    }
}
