package dev.bigsegments.bench;

import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.store.redis.RedisLayout;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the store's counters and runs redis-benchmark against the same server. */
final class RedisProbe implements AutoCloseable {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final Pattern RPS = Pattern.compile("SADD: ([0-9.]+) requests per second");

    private final int port;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    RedisProbe(String uri, int port) {
        this.port = port;
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
    }

    /** Store operations so far: SADD and SREM calls, from one INFO commandstats. */
    long storeOps() {
        String info = connection.sync().info("commandstats");
        return calls(info, "sadd") + calls(info, "srem");
    }

    private static long calls(String commandStats, String command) {
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(commandStats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** CPU seconds the Redis server has used (INFO cpu: used_cpu_user + used_cpu_sys). */
    double cpuSeconds() {
        String info = connection.sync().info("cpu");
        double total = 0;
        for (String field : List.of("used_cpu_user", "used_cpu_sys")) {
            Matcher m = Pattern.compile(field + ":([0-9.]+)").matcher(info);
            if (!m.find()) {
                throw new IllegalStateException("INFO cpu has no " + field);
            }
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    /** Bytes Redis uses for its data (INFO memory, used_memory). */
    long usedMemory() {
        Matcher m = Pattern.compile("used_memory:(\\d+)").matcher(connection.sync().info("memory"));
        if (!m.find()) {
            throw new IllegalStateException("INFO memory has no used_memory");
        }
        return Long.parseLong(m.group(1));
    }

    /** Empties the server: every run of a comparison starts from the same state. */
    void flushAll() {
        connection.sync().flushall();
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

    /**
     * {@code redis-cli --pipe} of {@code n} SADDs of one ref to {@code n} new include keys under
     * {@code prefix}: what a rebuild asks of Redis (a new set per context), sent as fast as Redis's own
     * client can. redis-benchmark's SADD adds to one set again and again, which costs Redis far less.
     *
     * @return SADDs per second, the file's writing not counted
     */
    double redisCliPipeNewKeys(int n, String prefix, String ref, Path work) throws IOException, InterruptedException {
        Path commands = work.resolve("pipe-sadd.resp");
        RedisLayout layout = RedisLayout.forPrefix(prefix);
        byte[] member = ref.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(commands), 1 << 16)) {
            for (int i = 0; i < n; i++) {
                byte[] key = layout.includeKey(ContextHashes.hash("pipe-" + i)).getBytes(StandardCharsets.UTF_8);
                out.write(("*3\r\n$4\r\nSADD\r\n$" + key.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(key);
                out.write(("\r\n$" + member.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(member);
                out.write(CRLF);
            }
        }
        long start = System.nanoTime();
        Process p = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port), "--pipe")
                .redirectInput(commands.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !out.contains("errors: 0, replies: " + n)) {
            throw new IllegalStateException("redis-cli --pipe failed: " + out);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.delete(commands);
        return n / seconds;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
