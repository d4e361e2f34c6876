package dev.bigsegments.testkit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An administrator's connection to whatever a store URI names: one server ({@code redis://}), a Sentinel master
 * ({@code redis-sentinel://...#name}) or a cluster ({@code redis-cluster://h:p,h:p}, where DBSIZE, SCAN and
 * multi-key commands cover every master). Written from the URI forms the README documents, not from the writer.
 */
public final class RedisAdmin implements AutoCloseable {
    private static final String CLUSTER = "redis-cluster://";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> commands;

    public RedisAdmin(String uri) {
        this(uri, DEFAULT_TIMEOUT);
    }

    /** RESP2, as LaunchDarkly's Redis stores speak it; every command bounded by {@code timeout}. */
    public RedisAdmin(String uri, Duration timeout) {
        if (uri.startsWith(CLUSTER)) {
            List<RedisURI> seeds = Arrays.stream(uri.substring(CLUSTER.length()).split(","))
                    .map(node -> RedisURI.builder(RedisURI.create("redis://" + node)).withTimeout(timeout).build())
                    .toList();
            RedisClusterClient cluster = RedisClusterClient.create(seeds);
            // Follows failovers as they happen: a test reads the cluster while nodes fail over and die.
            cluster.setOptions(ClusterClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(1)).enableAllAdaptiveRefreshTriggers().build())
                    .build());
            StatefulRedisClusterConnection<String, String> c = cluster.connect();
            client = cluster;
            connection = c;
            commands = c.sync();
        } else {
            RedisURI parsed = RedisURI.create(uri);
            parsed.setTimeout(timeout);
            RedisClient single = RedisClient.create(parsed);
            single.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
            StatefulRedisConnection<String, String> c = single.connect();
            client = single;
            connection = c;
            commands = c.sync();
        }
    }

    public RedisClusterCommands<String, String> commands() {
        return commands;
    }

    /**
     * The keys of the database: on a cluster, the sum of DBSIZE over the masters that serve slots in the client's
     * current view, each asked directly, so a node that failed (still listed, flagged or demoted) is never asked.
     */
    public long dbsize() {
        if (connection instanceof StatefulRedisClusterConnection<String, String> cluster) {
            long keys = 0;
            for (RedisClusterNode node : cluster.getPartitions()) {
                if (serves(node)) {
                    keys += cluster.getConnection(node.getNodeId()).sync().dbsize();
                }
            }
            return keys;
        }
        return commands.dbsize();
    }

    /**
     * The keys matching {@code pattern}, by SCAN, each once though SCAN may return one twice: on a cluster, over the
     * masters that serve slots, each asked directly (Lettuce's own cluster SCAN also visits a failed master that
     * is still listed, and fails there).
     */
    public Set<String> keys(String pattern) {
        Set<String> keys = new HashSet<>();
        if (connection instanceof StatefulRedisClusterConnection<String, String> cluster) {
            for (RedisClusterNode node : cluster.getPartitions()) {
                if (serves(node)) {
                    scan(cluster.getConnection(node.getNodeId()).sync(), pattern, keys);
                }
            }
        } else {
            scan(commands, pattern, keys);
        }
        return keys;
    }

    private static void scan(RedisClusterCommands<String, String> node, String pattern, Set<String> into) {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = node.scan(cursor, ScanArgs.Builder.matches(pattern).limit(5_000));
            into.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
    }

    /** The client's view of the topology, one node a line (a cluster's), for a failure message. */
    public String topology() {
        if (connection instanceof StatefulRedisClusterConnection<String, String> cluster) {
            StringBuilder view = new StringBuilder();
            for (RedisClusterNode node : cluster.getPartitions()) {
                view.append(node.getUri()).append(' ').append(node.getRole()).append(' ').append(node.getFlags())
                        .append(' ').append(node.getSlots().size()).append(" slots\n");
            }
            return view.toString();
        }
        return "one server";
    }

    private static boolean serves(RedisClusterNode node) {
        return node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()
                && !node.is(RedisClusterNode.NodeFlag.FAIL) && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL);
    }

    /** Safe to call twice. */
    @Override
    public synchronized void close() {
        if (connection.isOpen()) {
            connection.close();
            client.shutdown();
        }
    }
}
