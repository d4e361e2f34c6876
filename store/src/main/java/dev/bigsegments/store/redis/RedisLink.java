package dev.bigsegments.store.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Lettuce client of one store and its two connections, for every topology: the write connection, whose
 * commands are flushed by the store in large writes, and the control connection for the few commands answered
 * one by one (PING, the stamp, fill markers). Both open on first use and again after being reset, so a store
 * reconnects by itself after its server went away; a Sentinel store asks the sentinels where the master is each
 * time, a Cluster store follows the cluster's topology (refreshed every 30 s and on MOVED, ASK and failures).
 *
 * <p>RESP2, because HELLO (RESP3) is not among the commands an ACL-limited writer may run; no per-command
 * timeouts (the store bounds a whole batch's wait instead, sparing a scheduled task per command); commands
 * refused while disconnected instead of queued without bound.
 */
final class RedisLink implements AutoCloseable {
    /** How often a Cluster store refreshes its view of the topology, beside the adaptive refreshes. */
    static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);

    private final RedisTopology topology;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    /** The client's open channels, to find a standalone write connection's own ({@link WriteConnection}). */
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private volatile WriteConnection writes;
    private volatile StatefulConnection<byte[], byte[]> control;

    RedisLink(RedisTopology topology) {
        this.topology = topology;
        // No per-command latency recording: Lettuce enables it whenever HdrHistogram is on the class path, and it
        // wraps every command and keeps it in a map until answered (a tenth of a rebuild's time, profiled).
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
                .commandLatencyRecorder(CommandLatencyRecorder.disabled()).nettyCustomizer(new NettyCustomizer() {
                    @Override
                    public void afterChannelInitialized(Channel channel) {
                        channels.add(channel);
                        channel.closeFuture().addListener(closed -> channels.remove(channel));
                    }
                }).build();
        this.client = topology.kind() == RedisTopology.Kind.CLUSTER ? clusterClient() : standaloneClient();
    }

    private AbstractRedisClient standaloneClient() {
        RedisClient c = RedisClient.create(resources);
        // The store resets a broken connection itself and applies what was not confirmed again: commands are
        // never replayed behind its back.
        c.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).autoReconnect(false)
                .timeoutOptions(TimeoutOptions.create()).useHashIndexQueue(false).build());
        // (A plain stack: the hash-indexed one serves cancelling queued commands, which the store never does.)
        return c;
    }

    private AbstractRedisClient clusterClient() {
        RedisClusterClient c = RedisClusterClient.create(resources, topology.nodes());
        // useHashIndexQueue is declared on ClientOptions.Builder and returns that type: set apart from the chain.
        ClusterClientOptions.Builder options = ClusterClientOptions.builder();
        options.useHashIndexQueue(false);
        c.setOptions(options.protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(TimeoutOptions.create())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enablePeriodicRefresh(TOPOLOGY_REFRESH)
                        .enableAllAdaptiveRefreshTriggers().build())
                .build());
        return c;
    }

    /** The write connection, opened if needed, with commands flushed only when the store says so. */
    WriteConnection writes() {
        WriteConnection w = writes;
        if (w == null || !w.isOpen()) {
            StatefulConnection<byte[], byte[]> c = open();
            c.setAutoFlushCommands(false);
            w = new WriteConnection(c, client instanceof RedisClient ? channelOf(c) : null);
            writes = w;
        }
        return w;
    }

    /**
     * The channel whose command handler serves {@code connection}'s endpoint; null if there is none (the
     * connection is then driven through Lettuce's dispatch, as a Cluster's is).
     */
    private Channel channelOf(StatefulConnection<byte[], byte[]> connection) {
        if (!(connection instanceof RedisChannelHandler<?, ?> handler)) {
            return null;
        }
        for (Channel channel : channels) {
            CommandHandler commands = channel.pipeline().get(CommandHandler.class);
            if (commands != null && commands.getEndpoint() == handler.getChannelWriter()) {
                return channel;
            }
        }
        return null;
    }

    /** The control connection's commands, answered one by one within the timeout. */
    @SuppressWarnings("unchecked")
    RedisClusterCommands<byte[], byte[]> control() {
        StatefulConnection<byte[], byte[]> c = control;
        if (c == null || !c.isOpen()) {
            c = open();
            control = c;
        }
        return c instanceof StatefulRedisClusterConnection<?, ?> cluster
                ? ((StatefulRedisClusterConnection<byte[], byte[]>) cluster).sync()
                : ((StatefulRedisConnection<byte[], byte[]>) c).sync();
    }

    private StatefulConnection<byte[], byte[]> open() {
        try {
            return client instanceof RedisClusterClient cluster ? cluster.connect(ByteArrayCodec.INSTANCE)
                    : ((RedisClient) client).connect(ByteArrayCodec.INSTANCE, topology.nodes().get(0));
        } catch (RedisException e) {
            throw RedisFailures.of("connecting to " + topology.describe(), e);
        }
    }

    /** Drops the write connection (it broke, or stopped answering); the next write opens another. */
    void resetWrites(WriteConnection broken) {
        if (writes == broken) {
            writes = null;
        }
        broken.connection().closeAsync();
    }

    void resetControl() {
        StatefulConnection<byte[], byte[]> c = control;
        control = null;
        if (c != null && c.isOpen()) {
            c.closeAsync();
        }
    }

    @Override
    public void close() {
        WriteConnection w = writes;
        if (w != null && w.connection().isOpen()) {
            w.connection().close();
        }
        resetControl();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
