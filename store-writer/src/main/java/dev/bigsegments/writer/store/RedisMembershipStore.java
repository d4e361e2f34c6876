package dev.bigsegments.writer.store;

import dev.bigsegments.schemas.avro.MemberList;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Writes big-segment membership to Redis with SADD/SREM only, pipelined on one connection, so it runs
 * under an ACL user limited to the commands LaunchDarkly documents (GET SET SADD SREM DEL WATCH PING
 * MULTI EXEC). Each environment writes under its own key prefix.
 *
 * <p>Commands go through {@link RespConnection}, which encodes them straight into large socket writes and
 * checks every reply: a bulk load costs Redis's own time plus little more. A broken or timed-out
 * connection fails the batch as transient and is replaced on the next call; the caller retries the batch,
 * which is idempotent.
 */
public final class RedisMembershipStore implements MembershipStore {
    /** Commands encoded before the connection is written (sooner when 64 KiB are encoded). */
    public static final int DEFAULT_FLUSH_EVERY = 1_000;
    /** Unanswered commands after which sending waits for half of the replies. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
    /** How long connecting, or any one read or write on the connection, may take. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private static final byte[] SADD = RespConnection.ascii("SADD");
    private static final byte[] SREM = RespConnection.ascii("SREM");
    private static final byte[] SET = RespConnection.ascii("SET");
    private static final byte[] GET = RespConnection.ascii("GET");
    private static final byte[] DEL = RespConnection.ascii("DEL");

    private final RedisEndpoint endpoint;
    private final Map<String, Keys> keys;
    private final int flushEvery;
    private final int maxInFlight;
    private final Object writeLock = new Object();
    private final Object controlLock = new Object();
    private volatile RedisPipeline pipeline;
    /** For what is rare and answered one by one (PING, fill markers): beside the write pipeline. */
    private RespConnection control;
    private volatile boolean closed;

    private RedisMembershipStore(Builder b) {
        this.endpoint = RedisEndpoint.of(b.uri, b.commandTimeout);
        this.keys = new HashMap<>();
        b.prefixes.forEach((env, prefix) -> keys.put(env, Keys.of(RedisLayout.forPrefix(prefix))));
        this.flushEvery = b.flushEvery;
        this.maxInFlight = b.maxInFlight;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options for a Lettuce client that connects as this store does, for tools that read the store:
     * RESP2, because HELLO (RESP3) is not among the commands an ACL-limited writer may run, and commands
     * that time out instead of waiting forever.
     */
    public static ClientOptions clientOptions(Duration commandTimeout) {
        return ClientOptions.builder()
                .protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build();
    }

    @Override
    public void apply(List<SetOp> ops) {
        send(ops).await();
    }

    /** Encodes and writes the batch; its replies are read while later batches are sent, or on await. */
    @Override
    public Sent send(List<SetOp> ops) {
        if (ops.isEmpty()) {
            return Sent.DONE;
        }
        List<Command> commands = group(ops);
        IntFunction<String> describe = i -> commands.get(i).describe();
        synchronized (writeLock) {
            RedisPipeline.Batch batch = start(commands.size(), RespConnection.Reply.INTEGER, describe,
                    (c, pipeline, b) -> {
                        for (Command command : commands) {
                            command.encode(c);
                            pipeline.sent(b);
                        }
                    });
            return () -> await(batch, commands.size());
        }
    }

    /** One variadic SADD or SREM per key: the refs of one context's list that change the same way. */
    private List<Command> group(List<SetOp> ops) {
        Map<Target, Command> commands = new LinkedHashMap<>();
        for (SetOp op : ops) {
            Target target = new Target(keys(op.environmentId()).head(op.list()), op.contextHash(), op.add());
            Command command = commands.get(target);
            if (command == null) {
                commands.put(target, new Command(target, op.segmentRef()));
            } else {
                command.add(op.segmentRef());
            }
        }
        return new ArrayList<>(commands.values());
    }

    @Override
    public void stampSynchronizedOn(String environmentId, long unixMs) {
        String key = keys(environmentId).layout().synchronizedOnKey();
        synchronized (writeLock) {
            RedisPipeline.Batch batch = start(1, RespConnection.Reply.STATUS, i -> "SET " + key, (c, pipeline, b) -> {
                c.command(3);
                c.arg(SET);
                c.arg(key);
                c.arg(Long.toString(unixMs));
                pipeline.sent(b);
            });
            await(batch, 1);
        }
    }

    /** Encodes one batch on the connection, connecting first if needed; a broken connection is dropped. */
    private RedisPipeline.Batch start(int commands, RespConnection.Reply expected, IntFunction<String> describe,
            Encoder encoder) {
        RedisPipeline p = null;
        try {
            p = pipeline();
            RedisPipeline.Batch batch = p.begin(expected, describe);
            encoder.encode(p.connection(), p, batch);
            p.complete(batch);
            return batch;
        } catch (IOException e) {
            disconnect(p);
            throw RedisFailures.connection("writing " + commands + " command(s) to " + describe(), e);
        } catch (StoreWriteException e) {
            throw e;
        } catch (RuntimeException e) {
            // Part of a command may be encoded: the connection's stream can no longer be trusted.
            disconnect(p);
            throw e;
        }
    }

    private void await(RedisPipeline.Batch batch, int commands) {
        synchronized (writeLock) {
            RedisPipeline p = batch.pipeline();
            if (p != pipeline) {
                throw StoreWriteException.transientFailure("the connection to " + describe() + " broke before "
                        + commands + " command(s) were confirmed", null);
            }
            try {
                p.await(batch);
            } catch (IOException e) {
                disconnect(p);
                throw RedisFailures.connection("confirming " + commands + " command(s) on " + describe(), e);
            }
        }
    }

    @Override
    public void clearSynchronizedOn(String environmentId) {
        String key = keys(environmentId).layout().synchronizedOnKey();
        onControl("DEL " + key, c -> {
            c.command(2);
            c.arg(DEL);
            c.arg(key);
            c.flush();
            String error = c.reply(RespConnection.Reply.INTEGER);
            if (error != null) {
                throw RedisFailures.reply("DEL " + key, error);
            }
            return null;
        });
    }

    /** One pipelined GET per partition. */
    @Override
    public Map<Integer, String> fillMarkers(String environmentId, Collection<Integer> partitions) {
        RedisLayout layout = keys(environmentId).layout();
        List<Integer> order = List.copyOf(partitions);
        return onControl("reading fill markers under " + layout.prefix(), c -> {
            for (int partition : order) {
                c.command(2);
                c.arg(GET);
                c.arg(layout.fillMarkerKey(partition));
            }
            c.flush();
            Map<Integer, String> markers = new HashMap<>();
            StoreWriteException failure = null;
            for (int partition : order) {
                try {
                    String group = c.bulk("GET " + layout.fillMarkerKey(partition));
                    if (group != null) {
                        markers.put(partition, group);
                    }
                } catch (StoreWriteException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return markers;
        });
    }

    @Override
    public void markFilled(String environmentId, Collection<Integer> partitions, String group) {
        RedisLayout layout = keys(environmentId).layout();
        onControl("writing fill markers under " + layout.prefix(), c -> {
            for (int partition : partitions) {
                c.command(3);
                c.arg(SET);
                c.arg(layout.fillMarkerKey(partition));
                c.arg(group);
            }
            c.flush();
            StoreWriteException failure = null;
            for (int partition : partitions) {
                String error = c.reply(RespConnection.Reply.STATUS);
                if (error != null && failure == null) {
                    failure = RedisFailures.reply("SET " + layout.fillMarkerKey(partition), error);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return null;
        });
    }

    @Override
    public boolean isReachable() {
        try {
            return onControl("PING", RespConnection::ping);
        } catch (StoreWriteException e) {
            return false;
        }
    }

    /**
     * Runs a request on the control connection, connecting first if needed. The connection is used rarely,
     * so it may have broken since the last request (a server restarted meanwhile): then the request is made
     * once more on a new one. A connection that fails is closed and the failure reported as transient.
     */
    private <T> T onControl(String what, ControlRequest<T> request) {
        synchronized (controlLock) {
            boolean reused = control != null;
            try {
                return onControlOnce(request);
            } catch (IOException e) {
                closeControl();
                if (reused) {
                    try {
                        return onControlOnce(request);
                    } catch (IOException again) {
                        closeControl();
                        throw RedisFailures.connection(what + " on " + describe(), again);
                    }
                }
                throw RedisFailures.connection(what + " on " + describe(), e);
            }
        }
    }

    private <T> T onControlOnce(ControlRequest<T> request) throws IOException {
        try {
            if (control == null) {
                control = RespConnection.open(endpoint);
            }
            return request.run(control);
        } catch (RuntimeException e) {
            // A reply may be left unread: the stream can no longer be trusted.
            closeControl();
            throw e;
        }
    }

    private void closeControl() {
        if (control != null) {
            control.close();
            control = null;
        }
    }

    @Override
    public String describe() {
        return endpoint.describe();
    }

    private Keys keys(String environmentId) {
        Keys k = keys.get(environmentId);
        if (k == null) {
            throw StoreWriteException.permanent("no Redis prefix configured for environment " + environmentId, null);
        }
        return k;
    }

    /** Connects on first use, so a store can be built while Redis is still starting. */
    private RedisPipeline pipeline() throws IOException {
        RedisPipeline p = pipeline;
        if (p == null) {
            if (closed) {
                throw new IllegalStateException("the Redis store " + describe() + " is closed");
            }
            p = new RedisPipeline(RespConnection.open(endpoint), flushEvery, maxInFlight);
            pipeline = p;
        }
        return p;
    }

    private void disconnect(RedisPipeline p) {
        if (p != null) {
            p.connection().close();
            if (pipeline == p) {
                pipeline = null;
            }
        }
    }

    /** Closes the connections; a write in progress on another thread fails as transient. */
    @Override
    public void close() {
        closed = true;
        RedisPipeline p = pipeline;
        if (p != null) {
            p.connection().close();
            pipeline = null;
        }
        synchronized (controlLock) {
            closeControl();
        }
    }

    /** The encoded key prefixes of one environment's two membership lists, computed once. */
    private record Keys(RedisLayout layout, byte[] include, byte[] exclude) {
        static Keys of(RedisLayout layout) {
            return new Keys(layout, layout.includeKey("").getBytes(StandardCharsets.UTF_8),
                    layout.excludeKey("").getBytes(StandardCharsets.UTF_8));
        }

        byte[] head(MemberList list) {
            return list == MemberList.INCLUDED ? include : exclude;
        }
    }

    /**
     * A key and direction. {@code head} is one of the arrays held by {@link Keys}, so the record's equality
     * (which compares arrays by identity) is that of the keys.
     */
    private record Target(byte[] head, String contextHash, boolean add) {
    }

    /** One SADD or SREM of the refs of one target. */
    private static final class Command {
        private final Target target;
        private final String first;
        private List<String> more;

        Command(Target target, String ref) {
            this.target = target;
            this.first = ref;
        }

        void add(String ref) {
            if (more == null) {
                more = new ArrayList<>(2);
            }
            more.add(ref);
        }

        void encode(RespConnection c) {
            c.command(3 + (more == null ? 0 : more.size()));
            c.arg(target.add() ? SADD : SREM);
            c.arg(target.head(), target.contextHash());
            c.arg(first);
            if (more != null) {
                for (String ref : more) {
                    c.arg(ref);
                }
            }
        }

        String describe() {
            return (target.add() ? "SADD " : "SREM ") + new String(target.head(), StandardCharsets.UTF_8)
                    + target.contextHash();
        }
    }

    /** A request on the control connection. */
    @FunctionalInterface
    private interface ControlRequest<T> {
        T run(RespConnection connection) throws IOException;
    }

    /** Encodes a batch's commands on the connection, telling the pipeline of each. */
    @FunctionalInterface
    private interface Encoder {
        void encode(RespConnection connection, RedisPipeline pipeline, RedisPipeline.Batch batch) throws IOException;
    }

    /** Settings of a {@link RedisMembershipStore}; only the URI is required. */
    public static final class Builder {
        private RedisURI uri;
        private Map<String, String> prefixes = Map.of();
        private int flushEvery = DEFAULT_FLUSH_EVERY;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;

        private Builder() {
        }

        /**
         * {@code redis://[user:password@]host:port[/db]}, or {@code rediss://} for TLS (the server's
         * certificate checked against the JVM's trust store, host name included, unless the URI's
         * {@code verifyPeer} says otherwise).
         */
        public Builder uri(String uri) {
            return uri(RedisURI.create(uri));
        }

        public Builder uri(RedisURI uri) {
            this.uri = uri;
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

        /** Bounds connecting and every read or write; it replaces the URI's own timeout. */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Objects.requireNonNull(timeout, "commandTimeout");
            return this;
        }

        /** @throws IllegalArgumentException for a URI naming a Unix socket or Sentinel */
        public RedisMembershipStore build() {
            Objects.requireNonNull(uri, "uri");
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
