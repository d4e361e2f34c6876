package dev.bigsegments.testkit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

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
    private final RedisClusterAsyncCommands<String, String> async;

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
            async = c.async();
        } else {
            RedisURI parsed = RedisURI.create(uri);
            parsed.setTimeout(timeout);
            RedisClient single = RedisClient.create(parsed);
            single.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
            StatefulRedisConnection<String, String> c = single.connect();
            client = single;
            connection = c;
            commands = c.sync();
            async = c.async();
        }
    }

    public RedisClusterCommands<String, String> commands() {
        return commands;
    }

    /**
     * The keys of the database: on a cluster, the sum of DBSIZE over the masters that serve slots in the client's
     * current view ({@link #holders}).
     */
    public long dbsize() {
        return holders().stream().mapToLong(RedisClusterCommands::dbsize).sum();
    }

    /**
     * Visits every set whose key matches {@code pattern} with its members: SCAN on each of the {@link #holders},
     * then one pipelined SMEMBERS per key of a SCAN page (a key SCAN returns twice is visited twice).
     */
    public void forEachSet(String pattern, BiConsumer<String, Set<String>> visit) {
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(5_000);
        for (RedisClusterCommands<String, String> node : holders()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = node.scan(cursor, args);
                Map<String, RedisFuture<Set<String>>> members = new LinkedHashMap<>();
                page.getKeys().forEach(key -> members.put(key, async.smembers(key)));
                members.forEach((key, refs) -> visit.accept(key, await(refs)));
                cursor = page;
            } while (!cursor.isFinished());
        }
    }

    /**
     * The servers that hold keys: the one server, or each master of a cluster that serves slots now, asked
     * directly. (Lettuce's own cluster SCAN and DBSIZE visit every node listed as a master, and after a failover the
     * old master stays listed, failed and without slots, until the cluster forgets it.) Written apart from the
     * CLI's {@code RedisConnection.scanned()} on purpose: the tests' reader shares no code with what it checks.
     */
    private List<RedisClusterCommands<String, String>> holders() {
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
        return List.of(commands);
    }

    private static <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the store", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("reading the store: " + e.getMessage(), e);
        }
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

    /** Safe to call twice. */
    @Override
    public synchronized void close() {
        if (connection.isOpen()) {
            connection.close();
            client.shutdown();
        }
    }
}
