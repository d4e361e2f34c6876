package dev.bigsegments.bench;

import dev.bigsegments.writer.store.RedisLayout;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the store's counters and runs redis-benchmark against the same server. */
final class RedisProbe implements AutoCloseable {
    private static final Pattern RPS = Pattern.compile("SADD: ([0-9.]+) requests per second");

    private final int port;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    RedisProbe(String uri, int port) {
        this.port = port;
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
    }

    /** Calls of a command so far (INFO commandstats). */
    long calls(String command) {
        String info = connection.sync().info("commandstats");
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    long synchronizedOn(String prefix) {
        String v = connection.sync().get(RedisLayout.forPrefix(prefix).synchronizedOnKey());
        return v == null ? 0 : Long.parseLong(v);
    }

    /** For each context hash, whether its include set holds the ref: one pipelined SISMEMBER per hash. */
    List<Boolean> included(String prefix, List<String> hashes, String ref) {
        RedisLayout layout = RedisLayout.forPrefix(prefix);
        RedisAsyncCommands<String, String> async = connection.async();
        List<RedisFuture<Boolean>> replies = new ArrayList<>(hashes.size());
        for (String hash : hashes) {
            replies.add(async.sismember(layout.includeKey(hash), ref));
        }
        if (!LettuceFutures.awaitAll(Duration.ofSeconds(30), replies.toArray(new RedisFuture[0]))) {
            throw new IllegalStateException("Redis did not answer " + hashes.size() + " SISMEMBER in 30 s");
        }
        List<Boolean> result = new ArrayList<>(replies.size());
        for (RedisFuture<Boolean> reply : replies) {
            result.add(reply.toCompletableFuture().join());
        }
        return result;
    }

    /** {@code redis-benchmark -t sadd -n N -P 64}: SADD requests per second on this server. */
    double redisBenchmarkSadd(long n) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("redis-benchmark", "-h", "127.0.0.1", "-p", String.valueOf(port), "-t", "sadd",
                "-n", String.valueOf(n), "-P", "64", "-q").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = RPS.matcher(out.replace('\r', '\n'));
        double last = Double.NaN;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        if (Double.isNaN(last)) {
            throw new IllegalStateException("could not read redis-benchmark's output: " + out);
        }
        return last;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
