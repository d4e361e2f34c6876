package dev.bigsegments.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) running inside this JVM on
 * free loopback ports. Supports transactions, so exactly_once_v2 Streams applications can use it.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_POLL = Duration.ofMillis(100);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dataDir, boolean ownsDataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
    }

    /**
     * Starts a broker and returns once it answers clients. {@code dataDir} keeps topics across
     * restarts (formatted on first use only); {@code null} means a fresh temporary directory that
     * {@link #close()} deletes.
     */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, FreePorts.next(), FreePorts.next());
    }

    /** As {@link #start(Path)} on given ports: a broker restarted on its ports keeps its clients' address. */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort) {
        QuietKafkaLogging.apply();
        boolean temporary = dataDir == null;
        Path dir = temporary ? Directories.createTemp("embedded-kafka-") : Directories.create(dataDir);
        KafkaConfig config = SingleNodeKafkaConfig.create(dir, brokerPort, controllerPort);
        KafkaRaftServer server = startServer(config, dir, temporary);
        EmbeddedKafka kafka = new EmbeddedKafka(server, "127.0.0.1:" + brokerPort, dir, temporary);
        try {
            kafka.awaitReady();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (ownsDataDir) {
            Directories.deleteQuietly(dataDir);
        }
    }

    // Kafka loads plugin classes (metrics reporters, principal builders) through the context class
    // loader; under Quarkus that may not be the loader that holds Kafka, so pin it for startup.
    // Threads the broker creates inherit it.
    private static KafkaRaftServer startServer(KafkaConfig config, Path dir, boolean temporary) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(EmbeddedKafka.class.getClassLoader());
        try {
            KraftStorage.formatIfNeeded(config);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            startOrShutDown(server);
            return server;
        } catch (RuntimeException e) {
            if (temporary) {
                Directories.deleteQuietly(dir);
            }
            throw new IllegalStateException("Embedded Kafka failed to start in " + dir, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    // A half-started broker still holds ports, threads and the log directory lock.
    private static void startOrShutDown(KafkaRaftServer server) {
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
    }

    // The admin client retries internally until its timeout, so one call normally suffices; an empty
    // node list means the broker is not registered yet.
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (!hasBroker(admin, Duration.ofNanos(deadline - System.nanoTime()))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Embedded Kafka at " + bootstrapServers
                            + " did not answer within " + READY_TIMEOUT.toSeconds() + "s");
                }
                pause();
            }
        }
    }

    private static boolean hasBroker(Admin admin, Duration remaining) {
        int timeoutMs = (int) Math.max(READY_POLL.toMillis(), remaining.toMillis());
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes().get().isEmpty();
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for embedded Kafka", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(READY_POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for embedded Kafka", e);
        }
    }
}
