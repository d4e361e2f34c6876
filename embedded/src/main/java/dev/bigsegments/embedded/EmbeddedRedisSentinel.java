package dev.bigsegments.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Redis under Sentinel on loopback, as {@code redis-server} child processes: one master, one replica, and three
 * sentinels watching them (quorum 2). Killing the master makes the sentinels promote the replica; clients that
 * ask the sentinels for the master follow it. Master and replica keep append-only files.
 */
public final class EmbeddedRedisSentinel implements AutoCloseable {
    /** The name the sentinels know the master by. */
    public static final String MASTER_NAME = "bigsegments";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(60);
    private static final int DOWN_AFTER_MS = 2_000;

    private final Path binary;
    private final List<Server> servers = new ArrayList<>();
    private final List<Server> sentinels = new ArrayList<>();

    private EmbeddedRedisSentinel(Path binary) {
        this.binary = binary;
    }

    public static EmbeddedRedisSentinel start() {
        EmbeddedRedisSentinel sentinel = new EmbeddedRedisSentinel(EmbeddedRedis.requireRedisServer());
        try {
            Server master = sentinel.new Server(FreePorts.next(), List.of());
            sentinel.servers.add(master);
            sentinel.servers.add(sentinel.new Server(FreePorts.next(),
                    List.of("--replicaof", "127.0.0.1", String.valueOf(master.port))));
            for (int i = 0; i < 3; i++) {
                sentinel.sentinels.add(sentinel.new Server(FreePorts.next(), master.port));
            }
            sentinel.awaitMaster(master.port);
            return sentinel;
        } catch (RuntimeException e) {
            sentinel.close();
            throw e;
        }
    }

    /** {@code redis-sentinel://host:port,...#name}: clients ask the sentinels where the master is. */
    public String uri() {
        return "redis-sentinel://" + sentinels.stream().map(s -> "127.0.0.1:" + s.port)
                .collect(Collectors.joining(",")) + "#" + MASTER_NAME;
    }

    /** The master's port, as the sentinels report it. */
    public int masterPort() {
        List<String> answer = RespAdmin.call(sentinels.get(0).port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
                .lines().toList();
        return Integer.parseInt(answer.get(1).trim());
    }

    /** The data servers (master and replica), whichever role each has now. */
    public List<Server> servers() {
        return List.copyOf(servers);
    }

    /** The server on {@code port}. */
    public Server server(int port) {
        return servers.stream().filter(s -> s.port == port).findFirst().orElseThrow();
    }

    /** Waits until the sentinels name a master other than {@code formerPort} and it answers as a master. */
    public void awaitFailoverFrom(int formerPort) {
        Waits.until("the sentinels fail over from port " + formerPort, FAILOVER_TIMEOUT, () -> {
            int port = masterPort();
            return port != formerPort && RespAdmin.call(port, "ROLE").startsWith("master");
        });
    }

    private void awaitMaster(int port) {
        Waits.until("the sentinels see the master and its replica", FAILOVER_TIMEOUT,
                () -> masterPort() == port
                        && RespAdmin.call(port, "INFO", "replication").contains("connected_slaves:1"));
    }

    @Override
    public void close() {
        sentinels.forEach(Server::stop);
        servers.forEach(Server::stop);
    }

    /** A data server or a sentinel: its own port and directory. */
    public final class Server {
        private final int port;
        private final RedisWorkDir dir = RedisWorkDir.create();
        private final List<String> command;
        private ChildServer server;

        /** A data server (master, or replica with {@code --replicaof}). */
        private Server(int port, List<String> extra) {
            this.port = port;
            this.command = new ArrayList<>(List.of(binary.toString(), "--port", String.valueOf(port), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "yes", "--dir", dir.path().toString()));
            this.command.addAll(extra);
            start();
        }

        /** A sentinel watching the master on {@code masterPort} (its configuration file is rewritten by it). */
        private Server(int port, int masterPort) {
            this.port = port;
            Path config = dir.path().resolve("sentinel.conf");
            try {
                Files.writeString(config, String.join("\n",
                        "port " + port,
                        "bind 127.0.0.1",
                        "dir " + dir.path(),
                        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
                        "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MS,
                        "sentinel failover-timeout " + MASTER_NAME + " 10000",
                        "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.command = List.of(binary.toString(), config.toString(), "--sentinel");
            start();
        }

        public int port() {
            return port;
        }

        public boolean isRunning() {
            return server.isRunning();
        }

        /** SIGKILL. */
        public void kill() {
            server.kill();
        }

        public void restart() {
            start();
        }

        private void start() {
            server = ChildServer.startOn("redis-server", port, p -> new ChildServer("embedded-redis-sentinel",
                    new ProcessBuilder(command), p, dir.log(), () -> {
                    }), RespPing::answers, START_TIMEOUT);
        }

        void stop() {
            if (server != null) {
                server.stop();
            }
            dir.delete();
        }
    }
}
