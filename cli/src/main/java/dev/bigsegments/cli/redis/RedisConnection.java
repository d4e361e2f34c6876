package dev.bigsegments.cli.redis;

import dev.bigsegments.store.redis.RedisMembershipStore;
import dev.bigsegments.store.redis.RedisTopology;
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
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One Redis connection the command owns, to whatever the store URI names (one server, a Sentinel master, a
 * cluster, where {@link #scanned} names every master to SCAN): RESP2 and no CLIENT SETINFO, as the writer connects.
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

    /**
     * Where a SCAN must go to see every key: the one server, or each master of a cluster that serves slots now,
     * asked directly. (Lettuce's cluster SCAN visits every node listed as a master, and after a failover the old
     * master stays listed, failed and without slots, until the cluster forgets it: the scan would fail there.)
     */
    public List<RedisClusterCommands<String, String>> scanned() {
        if (connection instanceof StatefulRedisClusterConnection<String, String> cluster) {
            List<RedisClusterCommands<String, String>> masters = new ArrayList<>();
            for (RedisClusterNode node : cluster.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()
                        && !node.is(RedisClusterNode.NodeFlag.FAIL)
                        && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)) {
                    masters.add(cluster.getConnection(node.getNodeId()).sync());
                }
            }
            return masters;
        }
        return List.of(sync);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
