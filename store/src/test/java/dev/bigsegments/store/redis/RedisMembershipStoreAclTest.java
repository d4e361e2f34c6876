package dev.bigsegments.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bigsegments.embedded.EmbeddedRedis;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentRef;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.store.SetOp;
import dev.bigsegments.store.StoreWriteException;
import dev.bigsegments.testkit.Evaluation;
import dev.bigsegments.testkit.RedisBigSegmentStoreReader;
import dev.bigsegments.testkit.SdkProbe;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The writer must work as a Redis user limited to the commands README lists.
 */
class RedisMembershipStoreAclTest {
    /** The writer's commands, as README lists them. */
    static final String WRITER_COMMANDS = "+get +set +sadd +srem +del +ping +eval";
    private static final String ENV = "production";
    private static final String PREFIX = "acl";
    private static final String REF = SegmentRef.of("vip", 2);
    private static EmbeddedRedis redis;
    private static RedisClient admin;

    @BeforeAll
    static void startRedisWithLimitedUsers() {
        redis = EmbeddedRedis.start();
        admin = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            aclSetuser(c.sync(), "writer on >writer-pw ~* resetchannels -@all " + WRITER_COMMANDS);
            aclSetuser(c.sync(), "reader on >reader-pw ~* resetchannels -@all +get +ping");
            aclSetuser(c.sync(),
                    "writer-without-eval on >old-pw ~* resetchannels -@all +get +set +sadd +srem +del +ping");
        }
    }

    @AfterAll
    static void stopRedis() {
        admin.shutdown();
        redis.close();
    }

    @Test
    void theWriterWorksWithOnlyTheDocumentedCommands() {
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            c.sync().aclLogReset();
        }
        try (RedisMembershipStore store = storeAs("writer", "writer-pw")) {
            assertThat(store.isReachable()).isTrue();
            store.apply(List.of(
                    new SetOp(ENV, ContextHashes.hash("user1"), MemberList.INCLUDED, REF, true),
                    new SetOp(ENV, ContextHashes.hash("user2"), MemberList.EXCLUDED, REF, true),
                    new SetOp(ENV, ContextHashes.hash("user3"), MemberList.INCLUDED, REF, false)));
            store.markFilled(ENV, List.of(0, 1), "group");
            assertThat(store.fillMarkers(ENV, List.of(0, 1, 2))).isEqualTo(Map.of(0, "group", 1, "group"));
            store.clearSynchronizedOn(ENV);
            store.stampSynchronizedOn(ENV, System.currentTimeMillis());
            assertThat(store.stampWhileFilled(ENV, System.currentTimeMillis(), List.of(0, 1), "group")).isTrue();
        }
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            assertThat(c.sync().aclLog()).as("commands the server denied to the writer").isEmpty();
        }
        try (SdkProbe probe = SdkProbe.forSegment("vip", 2, new RedisBigSegmentStoreReader(redis.uri(), PREFIX),
                Duration.ofMinutes(1))) {
            assertThat(probe.evaluate("user1")).isEqualTo(Evaluation.healthy(true));
            assertThat(probe.evaluate("user2")).isEqualTo(Evaluation.healthy(false));
        }
    }

    @Test
    void theLimitedUserReallyCannotRunOtherCommands() {
        RedisClient client = RedisClient.create(uriAs("writer", "writer-pw"));
        client.setOptions(RedisMembershipStore.clientOptions(Duration.ofSeconds(5)));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().ping()).isEqualTo("PONG");
            assertThatThrownBy(() -> c.sync().keys("*"))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> c.sync().smembers("acl:anything"))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageContaining("NOPERM");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aMissingPermissionIsAPermanentFailure() {
        try (RedisMembershipStore store = storeAs("reader", "reader-pw")) {
            assertThatThrownBy(() -> store.apply(List.of(
                    new SetOp(ENV, ContextHashes.hash("user1"), MemberList.INCLUDED, REF, true))))
                    .isInstanceOfSatisfying(StoreWriteException.class,
                            e -> assertThat(e.transientFailure()).isFalse())
                    .hasMessageContaining("NOPERM");
        }
    }

    /** A writer user set up before the stamp guard, without EVAL (docs/production.md, Upgrades): told, not retried. */
    @Test
    void aUserWithoutEvalIsAPermanentFailureAtTheStampNamingTheCommand() {
        try (RedisMembershipStore store = storeAs("writer-without-eval", "old-pw")) {
            store.markFilled(ENV, List.of(0), "group");
            assertThatThrownBy(() -> store.stampWhileFilled(ENV, 1L, List.of(0), "group"))
                    .isInstanceOfSatisfying(StoreWriteException.class,
                            e -> assertThat(e.transientFailure()).isFalse())
                    .hasMessageContaining("NOPERM")
                    .hasMessageContaining("'eval'");
        }
    }

    @Test
    void aWrongPasswordIsAPermanentFailure() {
        try (RedisMembershipStore store = storeAs("writer", "not-the-password")) {
            assertThat(store.isReachable()).isFalse();
            assertThatThrownBy(() -> store.stampSynchronizedOn(ENV, 1L))
                    .isInstanceOfSatisfying(StoreWriteException.class,
                            e -> assertThat(e.transientFailure()).isFalse())
                    .hasMessageContaining("WRONGPASS")
                    .hasMessageNotContaining("not-the-password");
        }
    }

    private static RedisMembershipStore storeAs(String user, String password) {
        return RedisMembershipStore.builder().uri(uriAs(user, password)).prefixes(Map.of(ENV, PREFIX)).build();
    }

    private static RedisURI uriAs(String user, String password) {
        return RedisURI.builder(RedisURI.create(redis.uri())).withAuthentication(user, password).build();
    }

    /** ACL SETUSER with the rules spelled as an operator would type them. */
    static void aclSetuser(RedisClusterCommands<String, String> c, String userAndRules) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER");
        for (String word : userAndRules.split(" ")) {
            args.add(word);
        }
        assertThat(c.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args)).isEqualTo("OK");
    }
}
