package dev.bigsegments.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.embedded.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis writer contract on one {@code redis-server}. */
class RedisStandaloneContractTest extends RedisStoreContract {
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
    protected String uri() {
        return redis.uri();
    }

    @Override
    protected String unreachableUri() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "redis://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Override
    protected List<Integer> dataPorts() {
        return List.of(redis.port());
    }

    /**
     * A database emptied over and over while the store marks its partitions and stamps: a sampler that reads the
     * stamp and the markers in one transaction must never see the stamp without every marker. (Reading the markers,
     * stamping and reading them again is not enough: a flush between the first read and the stamp shows.)
     */
    @Test
    void aStoreEmptiedWhileItIsStampedIsNeverSeenStamped() throws Exception {
        RedisLayout layout = RedisLayout.forPrefix(prefixA);
        List<Integer> partitions = List.of(0, 1, 2);
        String[] markers = partitions.stream().map(layout::fillMarkerKey).toArray(String[]::new);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger flushes = new AtomicInteger();
        AtomicInteger stampedSamples = new AtomicInteger();
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> flushing = client.connect();
                StatefulRedisConnection<String, String> sampling = client.connect()) {
            Thread flusher = new Thread(() -> {
                while (!done.get()) {
                    flushing.sync().flushdb();
                    flushes.incrementAndGet();
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(2_000_000));
                }
            }, "flusher");
            Thread sampler = new Thread(() -> {
                RedisCommands<String, String> redis = sampling.sync();
                try {
                    while (!done.get()) {
                        redis.multi();
                        redis.get(layout.synchronizedOnKey());
                        redis.exists(markers);
                        TransactionResult snapshot = redis.exec();
                        if (snapshot.get(0) != null) {
                            stampedSamples.incrementAndGet();
                            if ((Long) snapshot.get(1) < markers.length) {
                                violation.compareAndSet(null, "stamp " + snapshot.get(0) + " with " + snapshot.get(1)
                                        + " of " + markers.length + " markers");
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "sampler");
            flusher.start();
            sampler.start();
            int stamped = 0;
            try {
                for (int i = 0; i < 3_000; i++) {
                    store.markFilled(ENV_A, partitions, "group");
                    if (store.stampWhileFilled(ENV_A, 1_000 + i, partitions, "group")) {
                        stamped++;
                    }
                }
            } finally {
                done.set(true);
                flusher.join();
                sampler.join();
            }
            assertThat(failure.get()).as("the sampler's error").isNull();
            assertThat(violation.get()).as("a stamp over an emptied store").isNull();
            assertThat(flushes.get()).as("flushes").isGreaterThan(100);
            assertThat(stamped).as("stamps written").isGreaterThan(100);
            assertThat(stampedSamples.get()).as("samples that saw a stamp").isGreaterThan(100);
        } finally {
            client.shutdown();
        }
    }
}
