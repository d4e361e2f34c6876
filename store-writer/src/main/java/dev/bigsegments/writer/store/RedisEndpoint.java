package dev.bigsegments.writer.store;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the store connects, read from a {@code redis://} or {@code rediss://} URI: host, port,
 * TLS and how the server certificate is verified, the ACL user and password, and the database index.
 *
 * @param timeout bounds connecting and every later read or write on the connection
 */
record RedisEndpoint(String host, int port, boolean tls, SslVerifyMode verifyMode, String username,
        char[] password, int database, Duration timeout) {

    RedisEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * @throws IllegalArgumentException for URIs naming a Unix socket or Sentinel, which the store does
     *     not connect to
     */
    static RedisEndpoint of(RedisURI uri, Duration timeout) {
        if (uri.getSocket() != null || !uri.getSentinels().isEmpty() || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "the Redis store needs redis://host:port or rediss://host:port, not a Unix socket or Sentinel");
        }
        char[] password = uri.getPassword();
        return new RedisEndpoint(uri.getHost(), uri.getPort(), uri.isSsl(), uri.getVerifyMode(), uri.getUsername(),
                password == null || password.length == 0 ? null : password.clone(), uri.getDatabase(), timeout);
    }

    /** Where the store writes, without credentials. */
    String describe() {
        return (tls ? "rediss://" : "redis://") + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return describe();
    }
}
