package dev.bigsegments.writer.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Writes big-segment membership to Redis with SADD/SREM only, pipelined on one connection, so it runs
 * under an ACL user limited to the commands LaunchDarkly documents (GET SET SADD SREM DEL WATCH PING
 * MULTI EXEC). Each environment writes under its own key prefix.
 */
public final class RedisMembershipStore implements MembershipStore {
    /** Commands sent before the connection is flushed. */
    public static final int DEFAULT_FLUSH_EVERY = 1_000;
    /** Unanswered commands after which sending waits for the replies. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
    /** How long one window of pipelined commands, or a connection attempt, may take. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private static final String SADD = "SADD ";
    private static final String SREM = "SREM ";
    private static final String SET = "SET ";

    private final RedisURI uri;
    private final RedisClient client;
    private final boolean ownsClient;
    private final Map<String, RedisLayout> layouts;
    private final int flushEvery;
    private final int maxInFlight;
    private final Duration commandTimeout;
    private final Object connectLock = new Object();
    private final Object writeLock = new Object();
    private volatile StatefulRedisConnection<String, String> connection;

    private RedisMembershipStore(Builder b) {
        this.uri = b.uri;
        this.ownsClient = b.client == null;
        this.client = ownsClient ? RedisClient.create() : b.client;
        if (ownsClient) {
            client.setOptions(clientOptions(b.commandTimeout));
        }
        this.layouts = new HashMap<>();
        b.prefixes.forEach((env, prefix) -> layouts.put(env, RedisLayout.forPrefix(prefix)));
        this.flushEvery = b.flushEvery;
        this.maxInFlight = b.maxInFlight;
        this.commandTimeout = b.commandTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options for a client this store can use: RESP2, because HELLO (RESP3) is not among the commands an
     * ACL-limited writer may run, and commands that time out instead of waiting forever.
     */
    public static ClientOptions clientOptions(Duration commandTimeout) {
        return ClientOptions.builder()
                .protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build();
    }

    @Override
    public void apply(List<SetOp> ops) {
        if (ops.isEmpty()) {
            return;
        }
        Map<Target, List<String>> commands = group(ops);
        synchronized (writeLock) {
            StatefulRedisConnection<String, String> c = connection();
            RedisAsyncCommands<String, String> redis = c.async();
            RedisPipeline pipeline = new RedisPipeline(c, flushEvery, maxInFlight, commandTimeout);
            commands.forEach((target, refs) -> {
                String[] members = refs.toArray(String[]::new);
                pipeline.send((target.add() ? SADD : SREM) + target.key(),
                        () -> target.add() ? redis.sadd(target.key(), members) : redis.srem(target.key(), members));
            });
            pipeline.awaitAll();
        }
    }

    /** One variadic SADD or SREM per key: the refs of one context's list that change the same way. */
    private Map<Target, List<String>> group(List<SetOp> ops) {
        Map<Target, List<String>> commands = new LinkedHashMap<>();
        for (SetOp op : ops) {
            String key = layout(op.environmentId()).membershipKey(op.list(), op.contextHash());
            commands.computeIfAbsent(new Target(key, op.add()), t -> new ArrayList<>(1)).add(op.segmentRef());
        }
        return commands;
    }

    @Override
    public void stampSynchronizedOn(String environmentId, long unixMs) {
        String key = layout(environmentId).synchronizedOnKey();
        synchronized (writeLock) {
            StatefulRedisConnection<String, String> c = connection();
            RedisPipeline pipeline = new RedisPipeline(c, 1, 1, commandTimeout);
            pipeline.send(SET + key, () -> c.async().set(key, Long.toString(unixMs)));
            pipeline.awaitAll();
        }
    }

    @Override
    public boolean isReachable() {
        try {
            StatefulRedisConnection<String, String> c = connection();
            var ping = c.async().ping();
            c.flushCommands();
            return "PONG".equals(ping.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    private RedisLayout layout(String environmentId) {
        RedisLayout layout = layouts.get(environmentId);
        if (layout == null) {
            throw StoreWriteException.permanent("no Redis prefix configured for environment " + environmentId, null);
        }
        return layout;
    }

    /** Connects on first use, so a store can be built while Redis is still starting. */
    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            return c;
        }
        synchronized (connectLock) {
            if (connection == null) {
                try {
                    c = client.connect(StringCodec.UTF8, uri);
                } catch (RuntimeException e) {
                    throw RedisFailures.classify("connecting to " + describe(), e);
                }
                // Pipelining: commands are buffered until RedisPipeline flushes them.
                c.setAutoFlushCommands(false);
                connection = c;
            }
            return connection;
        }
    }

    @Override
    public void close() {
        synchronized (connectLock) {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
        if (ownsClient) {
            client.shutdown();
        }
    }

    private record Target(String key, boolean add) {
    }

    /** Settings of a {@link RedisMembershipStore}; only the URI is required. */
    public static final class Builder {
        private RedisURI uri;
        private RedisClient client;
        private Map<String, String> prefixes = Map.of();
        private int flushEvery = DEFAULT_FLUSH_EVERY;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;

        private Builder() {
        }

        /** {@code redis://[user:password@]host:port[/db]}, or {@code rediss://} for TLS. */
        public Builder uri(String uri) {
            return uri(RedisURI.create(uri));
        }

        public Builder uri(RedisURI uri) {
            this.uri = uri;
            return this;
        }

        /**
         * A client the caller owns and shuts down; it should use {@link #clientOptions(Duration)}. Without
         * one the store creates its own client and shuts it down on close.
         */
        public Builder client(RedisClient client) {
            this.client = client;
            return this;
        }

        /** Key prefix per environment id; a null or empty prefix means {@link RedisLayout#DEFAULT_PREFIX}. */
        public Builder prefixes(Map<String, String> prefixes) {
            this.prefixes = new HashMap<>(prefixes);
            return this;
        }

        public Builder flushEvery(int commands) {
            this.flushEvery = requirePositive(commands, "flushEvery");
            return this;
        }

        public Builder maxInFlight(int commands) {
            this.maxInFlight = requirePositive(commands, "maxInFlight");
            return this;
        }

        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Objects.requireNonNull(timeout, "commandTimeout");
            return this;
        }

        /**
         * The command timeout also bounds connecting: it replaces the URI's own timeout. The library name
         * and version are cleared so the handshake sends no CLIENT SETINFO, a command outside the documented
         * permissions that the server would refuse and record in its ACL log on every connect.
         */
        public RedisMembershipStore build() {
            Objects.requireNonNull(uri, "uri");
            uri = RedisURI.builder(uri).withTimeout(commandTimeout).withLibraryName("").withLibraryVersion("").build();
            return new RedisMembershipStore(this);
        }

        private static int requirePositive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1");
            }
            return value;
        }
    }
}
