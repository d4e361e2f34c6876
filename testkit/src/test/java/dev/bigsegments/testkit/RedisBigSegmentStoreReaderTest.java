package dev.bigsegments.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.launchdarkly.sdk.server.subsystems.BigSegmentStoreTypes.Membership;
import dev.bigsegments.embedded.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reader reads the literal keys of the layout specification. */
class RedisBigSegmentStoreReaderTest {
    private static final String USER_KEY_HASH = "CEXjZY7cHJG/ydFy7q4+YEFwVrG3/pkJwA4FAjrbfx0=";
    private static EmbeddedRedis redis;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> commands;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
        client = RedisClient.create(redis.uri());
        connection = client.connect();
        commands = connection.sync();
    }

    @AfterAll
    static void stopRedis() {
        connection.close();
        client.shutdown();
        redis.close();
    }

    @Test
    void readsMembershipFromTheSingularSetKeys() {
        commands.sadd("launchdarkly:big_segment_include:" + USER_KEY_HASH, "a.g1", "b.g2");
        commands.sadd("launchdarkly:big_segment_exclude:" + USER_KEY_HASH, "b.g2", "c.g1");
        try (RedisBigSegmentStoreReader reader = new RedisBigSegmentStoreReader(redis.uri(), null)) {
            Membership membership = reader.getMembership(USER_KEY_HASH);
            assertThat(membership.checkMembership("a.g1")).isEqualTo(Boolean.TRUE);
            assertThat(membership.checkMembership("b.g2")).as("included wins").isEqualTo(Boolean.TRUE);
            assertThat(membership.checkMembership("c.g1")).isEqualTo(Boolean.FALSE);
            assertThat(membership.checkMembership("d.g1")).isNull();
        }
    }

    @Test
    void readsTheStampFromThePluralMetadataKeyUnderThePrefix() {
        try (RedisBigSegmentStoreReader reader = new RedisBigSegmentStoreReader(redis.uri(), "client-side-id")) {
            assertThat(reader.getMetadata()).as("never stamped").isNull();
            commands.set("client-side-id:big_segments_synchronized_on", "");
            assertThat(reader.getMetadata()).as("empty").isNull();
            commands.set("client-side-id:big_segments_synchronized_on", "1700000000123");
            assertThat(reader.getMetadata().getLastUpToDate()).isEqualTo(1_700_000_000_123L);
        }
    }

    @Test
    void aMembershipKeyOfAnotherTypeFailsTheRead() {
        commands.set("wrongtype:big_segment_include:" + USER_KEY_HASH, "x");
        try (RedisBigSegmentStoreReader reader = new RedisBigSegmentStoreReader(redis.uri(), "wrongtype")) {
            assertThatThrownBy(() -> reader.getMembership(USER_KEY_HASH)).hasMessageContaining("WRONGTYPE");
        }
    }
}
