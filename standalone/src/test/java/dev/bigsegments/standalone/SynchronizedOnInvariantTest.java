package dev.bigsegments.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fault test's synchronizedOn check catches what it is there to catch, and nothing else. */
class SynchronizedOnInvariantTest {
    /** A Redis database of its own: the monitor counts every key in it. */
    private static final int DATABASE = 2;

    @Test
    void aStampAfterTheHandOverWithTheStoreCompleteIsFine() {
        SynchronizedOnInvariant invariant = new SynchronizedOnInvariant(5);
        invariant.observe(null, 0);
        invariant.observe(100L, 0);
        invariant.handedOverAt(150);
        invariant.observe(140L, 3);
        invariant.observe(200L, 5);
        invariant.observe(260L, 5);
        assertThat(invariant.violations()).isEmpty();
        assertThat(invariant.checked()).isEqualTo(2);
    }

    @Test
    void aStampAfterTheHandOverWithTheStoreShortIsReported() {
        SynchronizedOnInvariant invariant = new SynchronizedOnInvariant(5);
        invariant.handedOverAt(150);
        invariant.observe(151L, 4);
        assertThat(invariant.violations()).singleElement().asString().contains("holds 4 of 5");
    }

    @Test
    void aStampBeforeTheHandOverIsNotHeldToTheNewImport() {
        SynchronizedOnInvariant invariant = new SynchronizedOnInvariant(5);
        invariant.handedOverAt(150);
        invariant.observe(150L, 0);
        assertThat(invariant.violations()).isEmpty();
        assertThat(invariant.checked()).isZero();
    }

    @Test
    void aStampMovingBackwardsIsReported() {
        SynchronizedOnInvariant invariant = new SynchronizedOnInvariant(5);
        invariant.observe(300L, 0);
        invariant.observe(299L, 0);
        assertThat(invariant.violations()).singleElement().asString().contains("backwards from 300 to 299");
    }

    @Test
    void aRepeatedViolationIsCountedNotListedWithoutEnd() {
        SynchronizedOnInvariant invariant = new SynchronizedOnInvariant(5);
        invariant.handedOverAt(0);
        for (int i = 0; i < 1_000; i++) {
            invariant.observe(1L, 1);
        }
        assertThat(invariant.violations()).hasSize(21).last().isEqualTo("... 980 more");
    }

    @Test
    void theMonitorCatchesAWriterThatStampsBeforeTheStoreIsComplete() throws Exception {
        String uri = SharedServices.redis().uri() + "/" + DATABASE;
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> redis = c.sync();
            redis.flushdb();
            SynchronizedOnInvariant invariant = new SynchronizedOnInvariant(5);
            invariant.handedOverAt(1_000);
            try (SynchronizedOnMonitor monitor = new SynchronizedOnMonitor(uri, "early", invariant)) {
                for (int i = 0; i < 3; i++) {
                    redis.sadd("early:big_segment_include:h" + i, "seg.g1");
                }
                // A writer stamps only once every partition is marked: the markers and the guard are there, as the
                // monitor expects.
                for (String key : WriterKeys.all("early")) {
                    if (!key.equals(WriterKeys.stamp("early"))) {
                        redis.set(key, "early-group");
                    }
                }
                redis.set("early:big_segments_synchronized_on", "1001");
                await().atMost(Duration.ofSeconds(10)).until(() -> !invariant.violations().isEmpty());
                assertThat(invariant.violations().get(0)).contains("holds 3 of 5");
                assertThat(monitor.failure()).isNull();
            }
            redis.flushdb();
        } finally {
            client.shutdown();
        }
    }
}
