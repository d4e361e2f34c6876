package dev.bigsegments.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        String v = connection.sync().get(prefix + ":big_segments_synchronized_on");
        return v == null ? 0 : Long.parseLong(v);
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
