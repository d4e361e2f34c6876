package dev.bigsegments.store.redis;

import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.store.MembershipStore;
import dev.bigsegments.store.SetOp;
import dev.bigsegments.store.StoreWriteException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Writes big-segment membership to Redis through Lettuce, to one server, a Sentinel-managed master or a Redis
 * Cluster ({@link RedisTopology}). Every write is a single-key SADD or SREM (variadic: one per context and list
 * and direction), so nothing crosses cluster slots, and the writer runs under an ACL user limited to the
 * commands README lists (GET SET SADD SREM DEL PING EVAL; a Cluster store also
 * needs the topology commands, see README). Each environment writes under its own key prefix.
 *
 * <p>A batch is sent on the write connection without waiting, in slices of {@code flushEvery} commands, each
 * written and flushed as one ({@link WriteConnection}), with at most {@code maxInFlight} commands unanswered;
 * every reply is checked against its command. A batch that gets no answer for {@code commandTimeout} fails as
 * transient and its connection is replaced; the caller applies it again, which is idempotent.
 */
public final class RedisMembershipStore implements MembershipStore {
    /** Commands of a slice: written to the connection and flushed together. */
    public static final int DEFAULT_FLUSH_EVERY = 1_000;
    /** Unanswered commands after which sending waits. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
    /** How long connecting, a control command, or a batch without any answer may take. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** Answers after which their permits go back, at most (fewer when the window is barely above a slice). */
    private static final int MAX_RELEASE_EVERY = 256;
    /** While a batch is awaited the connection is flushed this often (a Cluster command redirected waits for it). */
    private static final long AWAIT_SLICE_MILLIS = 10;
    /** KEYS: the stamp guard, the stamp; ARGV: the token, the stamp's value. */
    private static final String STAMP_WHILE_GUARDED = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "redis.call('SET', KEYS[2], ARGV[2]) return 1 end return 0";

    private final RedisTopology topology;
    private final RedisLink link;
    private final Map<String, Keys> keys;
    private final Map<String, byte[]> refs = new ConcurrentHashMap<>();
    /** Commands sent to the connection and flushed together. */
    private final int sliceSize;
    /** Answers after which their permits go back ({@link RedisBatch}). */
    private final int releaseEvery;
    private final Semaphore inFlight;
    private final Duration timeout;
    private final Object writeLock = new Object();

    private RedisMembershipStore(Builder b) {
        this.topology = RedisTopology.parse(b.uri, b.commandTimeout);
        this.link = new RedisLink(topology);
        this.keys = new HashMap<>();
        b.prefixes.forEach((env, prefix) -> keys.put(env, Keys.of(RedisLayout.forPrefix(prefix))));
        this.sliceSize = Math.min(b.flushEvery, b.maxInFlight);
        // With nothing in flight, the permits a batch still holds back must leave room for a slice.
        this.releaseEvery = Math.max(1, Math.min(MAX_RELEASE_EVERY, b.maxInFlight - sliceSize + 1));
        this.inFlight = new Semaphore(b.maxInFlight);
        this.timeout = b.commandTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options for a Lettuce client that connects as this store does, for tools that read the store: RESP2
     * (HELLO is not among the commands an ACL-limited writer may run) and commands that time out.
     */
    public static ClientOptions clientOptions(Duration commandTimeout) {
        return ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout)).build();
    }

    public RedisTopology topology() {
        return topology;
    }

    @Override
    public void apply(List<SetOp> ops) {
        send(ops).await();
    }

    /** Dispatches the batch; its replies are counted as they come, and checked on await. */
    @Override
    public Sent send(List<SetOp> ops) {
        if (ops.isEmpty()) {
            return Sent.DONE;
        }
        List<Command> commands = group(ops);
        synchronized (writeLock) {
            WriteConnection connection = link.writes();
            RedisBatch batch = new RedisBatch(commands.size(), i -> commands.get(i).describe(), inFlight,
                    releaseEvery);
            dispatch(connection, commands, batch);
            return () -> await(connection, batch, commands.size());
        }
    }

    /** Sends the commands a slice of {@code sliceSize} at a time, each slice once it has its permits. */
    private void dispatch(WriteConnection connection, List<Command> commands, RedisBatch batch) {
        int sent = 0;
        try {
            while (sent < commands.size()) {
                int size = Math.min(sliceSize, commands.size() - sent);
                acquire(connection, size);
                List<BatchCommand> slice = new ArrayList<>(size);
                for (int i = sent; i < sent + size; i++) {
                    slice.add(commands.get(i).toLettuce(batch, i, connection.routed()));
                }
                sent += size;
                try {
                    connection.send(slice);
                } catch (RuntimeException e) {
                    slice.forEach(command -> command.failUnsent(e));
                    throw e;
                }
            }
        } catch (RedisException | StoreWriteException e) {
            batch.abandon(commands.size() - sent);
            batch.giveUp();
            link.resetWrites(connection);
            throw RedisFailures.of("sending " + commands.size() + " command(s) to " + describe(), e);
        }
    }

    /** Takes permits for {@code commands} more unanswered commands, waiting for answers when too few are left. */
    private void acquire(WriteConnection connection, int commands) {
        if (inFlight.tryAcquire(commands)) {
            return;
        }
        connection.flush();
        try {
            if (!inFlight.tryAcquire(commands, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw StoreWriteException.transientFailure("no answer from " + describe() + " for "
                        + timeout.toMillis() + " ms", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreWriteException.transientFailure("interrupted while writing to " + describe(), e);
        }
    }

    /**
     * Waits until every command of the batch is answered, flushing meanwhile; a batch with no new answer for the
     * timeout fails as transient and its connection is replaced.
     */
    private void await(WriteConnection connection, RedisBatch batch, int commands) {
        long quietSince = System.nanoTime();
        int answered = -1;
        try {
            while (!batch.done()) {
                int now = batch.await(AWAIT_SLICE_MILLIS);
                if (now != answered) {
                    answered = now;
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > timeout.toNanos()) {
                    batch.giveUp();
                    link.resetWrites(connection);
                    throw StoreWriteException.transientFailure("no answer from " + describe() + " for "
                            + timeout.toMillis() + " ms; " + (commands - answered) + " of " + commands
                            + " command(s) unconfirmed", null);
                }
                if (!batch.done()) {
                    flushOpen(connection, batch, commands);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreWriteException.transientFailure("interrupted while waiting for " + describe(), e);
        }
        StoreWriteException failure = batch.failure();
        if (failure != null) {
            if (failure.transientFailure()) {
                link.resetWrites(connection);
            }
            throw failure;
        }
    }

    /**
     * Flushes a connection still awaited. One that was closed meanwhile (a batch before this one failed and
     * replaced it) leaves this batch's unanswered commands unconfirmed: transient, applied again.
     */
    private void flushOpen(WriteConnection connection, RedisBatch batch, int commands) {
        RuntimeException cause = null;
        if (connection.isOpen()) {
            try {
                connection.flush();
                return;
            } catch (RuntimeException e) {
                cause = e;
            }
        }
        if (batch.done()) {
            return;
        }
        batch.giveUp();
        link.resetWrites(connection);
        throw StoreWriteException.transientFailure("the connection to " + describe() + " closed with "
                + (commands - batch.answered()) + " of " + commands + " command(s) unconfirmed", cause);
    }

    /** One variadic SADD or SREM per key: the refs of one context's list that change the same way. */
    private List<Command> group(List<SetOp> ops) {
        Map<Target, Command> commands = new LinkedHashMap<>(2 * ops.size() + 16);
        for (SetOp op : ops) {
            Target target = new Target(keys(op.environmentId()).head(op.list()), op.contextHash(), op.add());
            byte[] ref = refs.computeIfAbsent(op.segmentRef(), r -> r.getBytes(StandardCharsets.UTF_8));
            Command command = commands.get(target);
            if (command == null) {
                commands.put(target, new Command(target, ref));
            } else {
                command.add(ref);
            }
        }
        return new ArrayList<>(commands.values());
    }

    @Override
    public void stampSynchronizedOn(String environmentId, long unixMs) {
        String key = keys(environmentId).layout().synchronizedOnKey();
        onControl("SET " + key, c -> c.set(utf8(key), utf8(Long.toString(unixMs))));
    }

    @Override
    public void clearSynchronizedOn(String environmentId) {
        String key = keys(environmentId).layout().synchronizedOnKey();
        onControl("DEL " + key, c -> c.del(utf8(key)));
    }

    /**
     * Exact: a fresh token goes to the stamp guard ({@link RedisLayout#stampGuardKey()}), the markers are read,
     * and one script sets the stamp only if the guard still holds the token. A store emptied after the token was
     * written has lost it, and one emptied before has lost its markers; either way the stamp is not written. The
     * guard shares the stamp's Cluster slot, so the script runs on every kind of Redis.
     */
    @Override
    public boolean stampWhileFilled(String environmentId, long unixMs, Collection<Integer> partitions,
            String group) {
        RedisLayout layout = keys(environmentId).layout();
        String guard = layout.stampGuardKey();
        String stamp = layout.synchronizedOnKey();
        byte[] token = utf8(UUID.randomUUID().toString());
        onControl("SET " + guard, c -> c.set(utf8(guard), token));
        if (!MembershipStore.filledBy(fillMarkers(environmentId, partitions), partitions, group)) {
            return false;
        }
        Long stamped = onControl("EVAL (SET " + stamp + " while " + guard + " holds its token)",
                c -> c.eval(STAMP_WHILE_GUARDED, ScriptOutputType.INTEGER, new byte[][] {utf8(guard), utf8(stamp)},
                        token, utf8(Long.toString(unixMs))));
        return Long.valueOf(1).equals(stamped);
    }

    /** One GET per partition (single keys: a Cluster store may hold them on different nodes). */
    @Override
    public Map<Integer, String> fillMarkers(String environmentId, Collection<Integer> partitions) {
        RedisLayout layout = keys(environmentId).layout();
        return onControl("reading fill markers under " + layout.prefix(), c -> {
            Map<Integer, String> markers = new HashMap<>();
            for (int partition : partitions) {
                byte[] group = c.get(utf8(layout.fillMarkerKey(partition)));
                if (group != null) {
                    markers.put(partition, new String(group, StandardCharsets.UTF_8));
                }
            }
            return markers;
        });
    }

    @Override
    public void markFilled(String environmentId, Collection<Integer> partitions, String group) {
        RedisLayout layout = keys(environmentId).layout();
        onControl("writing fill markers under " + layout.prefix(), c -> {
            for (int partition : partitions) {
                c.set(utf8(layout.fillMarkerKey(partition)), utf8(group));
            }
            return null;
        });
    }

    @Override
    public boolean isReachable() {
        try {
            return "PONG".equals(onControl("PING", RedisClusterCommands::ping));
        } catch (StoreWriteException e) {
            return false;
        }
    }

    /** Runs commands on the control connection; a connection that fails is replaced on the next request. */
    private <T> T onControl(String what, Function<RedisClusterCommands<byte[], byte[]>, T> request) {
        try {
            return request.apply(link.control());
        } catch (RedisException e) {
            StoreWriteException failure = RedisFailures.of(what + " on " + describe(), e);
            if (failure.transientFailure()) {
                link.resetControl();
            }
            throw failure;
        }
    }

    @Override
    public String describe() {
        return topology.describe();
    }

    private Keys keys(String environmentId) {
        Keys k = keys.get(environmentId);
        if (k == null) {
            throw StoreWriteException.permanent("no Redis prefix configured for environment " + environmentId, null);
        }
        return k;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Closes the connections; a write in progress on another thread fails as transient. */
    @Override
    public void close() {
        link.close();
    }

    /** The encoded key prefixes of one environment's two membership lists, computed once. */
    private record Keys(RedisLayout layout, byte[] include, byte[] exclude) {
        static Keys of(RedisLayout layout) {
            return new Keys(layout, utf8(layout.includeKey("")), utf8(layout.excludeKey("")));
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
        private final byte[] first;
        private List<byte[]> more;

        Command(Target target, byte[] ref) {
            this.target = target;
            this.first = ref;
        }

        void add(byte[] ref) {
            if (more == null) {
                more = new ArrayList<>(2);
            }
            more.add(ref);
        }

        BatchCommand toLettuce(RedisBatch batch, int index, boolean routed) {
            List<byte[]> members = more == null ? List.of(first) : new ArrayList<>(1 + more.size());
            if (more != null) {
                members.add(first);
                members.addAll(more);
            }
            return new BatchCommand(target.add() ? CommandType.SADD : CommandType.SREM, target.head(),
                    target.contextHash().getBytes(StandardCharsets.UTF_8), members, routed, batch, index);
        }

        String describe() {
            return (target.add() ? "SADD " : "SREM ") + new String(target.head(), StandardCharsets.UTF_8)
                    + target.contextHash();
        }
    }

    /** Settings of a {@link RedisMembershipStore}; only the URI is required. */
    public static final class Builder {
        private String uri;
        private Map<String, String> prefixes = Map.of();
        private int flushEvery = DEFAULT_FLUSH_EVERY;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;

        private Builder() {
        }

        /** A URI of {@link RedisTopology}'s forms; TLS certificates are checked against the JVM's trust store. */
        public Builder uri(String uri) {
            this.uri = uri;
            return this;
        }

        public Builder uri(RedisURI uri) {
            return uri(uri.toURI().toString());
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

        /** Bounds connecting, each control command, and a batch's wait for an answer; replaces the URI's own. */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Objects.requireNonNull(timeout, "commandTimeout");
            return this;
        }

        /** @throws IllegalArgumentException for a URI of no known form (a Unix socket, say) */
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
