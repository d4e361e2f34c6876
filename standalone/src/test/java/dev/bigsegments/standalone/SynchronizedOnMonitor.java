package dev.bigsegments.standalone;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples a store continuously on its own thread and feeds {@link SynchronizedOnInvariant}: the stamp
 * first, then the member count. The store must be alone in its Redis database, holding only include
 * keys and the writer's own keys ({@link WriterKeys}, all present once it stamps), so that the count is one
 * {@code DBSIZE} and a sample takes two round trips.
 */
final class SynchronizedOnMonitor implements AutoCloseable {
    private static final long PAUSE_NANOS = 2_000_000;

    private final SynchronizedOnInvariant invariant;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String stampKey;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    SynchronizedOnMonitor(String redisUri, String prefix, SynchronizedOnInvariant invariant) {
        this.invariant = invariant;
        this.client = RedisClient.create(redisUri);
        this.connection = client.connect();
        this.stampKey = prefix + ":big_segments_synchronized_on";
        this.thread = new Thread(this::run, "synchronized-on-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        RedisCommands<String, String> redis = connection.sync();
        try {
            while (running) {
                String stamp = redis.get(stampKey);
                if (stamp != null) {
                    invariant.observe(Long.parseLong(stamp), redis.dbsize() - WriterKeys.whenStamped());
                }
                LockSupport.parkNanos(PAUSE_NANOS);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** The sampling error that ended the thread early, if any: samples then stopped, the test must fail. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        connection.close();
        client.shutdown();
    }
}
