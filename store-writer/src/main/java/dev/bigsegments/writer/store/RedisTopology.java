package dev.bigsegments.writer.store;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a Redis store is and how it is deployed, read from one URI:
 * <ul>
 *   <li>{@code redis://[user:password@]host:port[/db]} or {@code rediss://...}: one server (TLS with rediss);</li>
 *   <li>{@code redis-sentinel://[password@]host:port,host:port[/db]#masterName}: the master the sentinels name,
 *       followed across failovers;</li>
 *   <li>{@code redis-cluster://[user:password@]host:port,host:port} or {@code rediss-cluster://...}: a Redis Cluster,
 *       the listed nodes used as seeds for its topology.</li>
 * </ul>
 *
 * @param nodes one URI for a server or a Sentinel setup; the seed nodes of a cluster
 */
public record RedisTopology(Kind kind, List<RedisURI> nodes) {
    static final String CLUSTER = "redis-cluster://";
    static final String CLUSTER_TLS = "rediss-cluster://";

    /** How the store reaches its data. */
    public enum Kind {
        STANDALONE, SENTINEL, CLUSTER
    }

    public RedisTopology {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a Redis URI names at least one node");
        }
    }

    /**
     * @param timeout bounds connecting and each command; replaces the URI's own
     * @throws IllegalArgumentException for a URI of no known form (a Unix socket among them)
     */
    public static RedisTopology parse(String uri, Duration timeout) {
        Objects.requireNonNull(uri, "uri");
        if (uri.startsWith(CLUSTER) || uri.startsWith(CLUSTER_TLS)) {
            return cluster(uri, timeout);
        }
        RedisURI parsed = RedisURI.create(uri);
        if (parsed.getSocket() != null) {
            throw new IllegalArgumentException("the Redis store needs redis://, rediss://, redis-sentinel:// or "
                    + "redis-cluster:// URIs, not a Unix socket");
        }
        Kind kind = parsed.getSentinels().isEmpty() ? Kind.STANDALONE : Kind.SENTINEL;
        return new RedisTopology(kind, List.of(quiet(parsed, timeout)));
    }

    /** {@code redis-cluster://[credentials@]h1:p1,h2:p2[/...]}: each node a {@code redis://} seed with the credentials. */
    private static RedisTopology cluster(String uri, Duration timeout) {
        boolean tls = uri.startsWith(CLUSTER_TLS);
        String rest = uri.substring(tls ? CLUSTER_TLS.length() : CLUSTER.length());
        String credentials = "";
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            credentials = rest.substring(0, at + 1);
            rest = rest.substring(at + 1);
        }
        int end = firstOf(rest, '/', '?');
        String hosts = end < 0 ? rest : rest.substring(0, end);
        String suffix = end < 0 ? "" : rest.substring(end);
        List<RedisURI> seeds = new ArrayList<>();
        for (String host : hosts.split(",")) {
            if (!host.isBlank()) {
                seeds.add(quiet(RedisURI.create((tls ? "rediss://" : "redis://") + credentials + host.trim() + suffix),
                        timeout));
            }
        }
        return new RedisTopology(Kind.CLUSTER, seeds);
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /**
     * The URI with the timeout, and without the library name and version Lettuce would otherwise send with
     * {@code CLIENT SETINFO}, which the writer's ACL user may not run.
     */
    private static RedisURI quiet(RedisURI uri, Duration timeout) {
        uri.setTimeout(timeout);
        uri.setLibraryName("");
        uri.setLibraryVersion("");
        return uri;
    }

    /** Where the store writes, without credentials: for logs and metric tags. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        switch (kind) {
            case STANDALONE -> {
                RedisURI u = nodes.get(0);
                sb.append(u.isSsl() ? "rediss://" : "redis://").append(u.getHost()).append(':').append(u.getPort())
                        .append('/').append(u.getDatabase());
            }
            case SENTINEL -> {
                RedisURI u = nodes.get(0);
                sb.append("redis-sentinel://");
                u.getSentinels().forEach(s -> sb.append(s.getHost()).append(':').append(s.getPort()).append(','));
                sb.setLength(sb.length() - 1);
                sb.append('/').append(u.getDatabase()).append('#').append(u.getSentinelMasterId());
            }
            case CLUSTER -> {
                sb.append(nodes.get(0).isSsl() ? CLUSTER_TLS : CLUSTER);
                nodes.forEach(u -> sb.append(u.getHost()).append(':').append(u.getPort()).append(','));
                sb.setLength(sb.length() - 1);
            }
        }
        return sb.toString();
    }
}
