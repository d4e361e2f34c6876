package dev.bigsegments.cli.redis;

import dev.bigsegments.writer.store.RedisMembershipStore;
import dev.bigsegments.writer.store.RedisTopology;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;

/**
 * One Redis connection the command owns, to whatever the store URI names (one server, a Sentinel master, a
 * cluster, where SCAN and DBSIZE cover every master): RESP2 and no CLIENT SETINFO, as the writer connects.
 */
public final class RedisConnection implements AutoCloseable {
    /** Bounds every command and the connection attempt. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;

    public RedisConnection(String url) {
        RedisTopology topology = RedisTopology.parse(url, DEFAULT_TIMEOUT);
        if (topology.kind() == RedisTopology.Kind.CLUSTER) {
            RedisClusterClient cluster = RedisClusterClient.create(topology.nodes());
            cluster.setOptions(ClusterClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                    .timeoutOptions(TimeoutOptions.enabled(DEFAULT_TIMEOUT)).build());
            this.client = cluster;
            StatefulRedisClusterConnection<String, String> c = connect(() -> cluster.connect());
            this.connection = c;
            this.sync = c.sync();
            this.async = c.async();
        } else {
            RedisClient single = RedisClient.create();
            single.setOptions(RedisMembershipStore.clientOptions(DEFAULT_TIMEOUT));
            this.client = single;
            StatefulRedisConnection<String, String> c = connect(() -> single.connect(topology.nodes().get(0)));
            this.connection = c;
            this.sync = c.sync();
            this.async = c.async();
        }
    }

    private <C> C connect(java.util.function.Supplier<C> opening) {
        try {
            return opening.get();
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    public RedisClusterCommands<String, String> sync() {
        return sync;
    }

    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
