package dev.bigsegments.cli.redis;

import dev.bigsegments.writer.store.RedisMembershipStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;

/** One Redis connection the command owns: RESP2 and no CLIENT SETINFO, as the writer connects. */
public final class RedisConnection implements AutoCloseable {
    /** Bounds every command and the connection attempt. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    public RedisConnection(String url) {
        RedisURI uri = RedisURI.builder(RedisURI.create(url)).withTimeout(DEFAULT_TIMEOUT).withLibraryName("")
                .withLibraryVersion("").build();
        this.client = RedisClient.create();
        client.setOptions(RedisMembershipStore.clientOptions(DEFAULT_TIMEOUT));
        try {
            this.connection = client.connect(uri);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    public StatefulRedisConnection<String, String> get() {
        return connection;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
