package dev.bigsegments.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of {@code redis-server} child processes on loopback (ports at most 55535, as the cluster bus
 * listens 10000 higher), created with {@code redis-cli --cluster create} as an operator would: masters and
 * replicas, each with its own append-only file so a node can be killed and restarted with its data. Nodes
 * can be failed over ({@code CLUSTER FAILOVER} on a replica) and killed, for fault tests.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** A node missing this long is failed over by the others. */
    static final int NODE_TIMEOUT_MS = 2_000;

    private final Path binary;
    private final RedisCli cli;
    private final List<Node> nodes = new ArrayList<>();

    private EmbeddedRedisCluster(Path binary) {
        this.binary = binary;
        this.cli = RedisCli.beside(binary);
    }

    /** Starts {@code masters} masters with {@code replicas} replicas each and waits until the cluster is ok. */
    public static EmbeddedRedisCluster start(int masters, int replicas) {
        Path binary = EmbeddedRedis.findRedisServer()
                .orElseThrow(() -> new IllegalStateException(EmbeddedRedis.INSTALL_HINT));
        EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(binary);
        try {
            for (int i = 0; i < masters * (1 + replicas); i++) {
                cluster.nodes.add(cluster.new Node(ClusterPorts.next()));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            cluster.nodes.forEach(n -> create.add("127.0.0.1:" + n.port));
            create.addAll(List.of("--cluster-replicas", String.valueOf(replicas), "--cluster-yes"));
            cluster.cli.runBare(create.toArray(String[]::new));
            cluster.awaitHealthy();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code redis-cluster://host:port,...} with every node as a seed. */
    public String uri() {
        return "redis-cluster://" + nodes.stream().map(n -> "127.0.0.1:" + n.port).collect(Collectors.joining(","));
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The nodes that are masters now, as the cluster sees them. */
    public List<Node> masters() {
        return nodes.stream().filter(n -> n.isRunning() && n.isMaster()).toList();
    }

    /** Waits until every running node reports {@code cluster_state:ok} and agrees on the masters. */
    public void awaitHealthy() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            List<String> states = nodes.stream().filter(Node::isRunning)
                    .map(n -> cli.run(n.port, "cluster", "info")).toList();
            if (states.stream().allMatch(s -> s.contains("cluster_state:ok"))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not become ok: " + states);
            }
            pause();
        }
    }

    /** A replica of {@code master}, as the replicas see it now ({@code ROLE}: slave, host, master port, ...). */
    public Node replicaOf(Node master) {
        return nodes.stream().filter(n -> n != master && n.isRunning()).filter(n -> {
            List<String> role = cli.run(n.port, "role").lines().toList();
            return role.size() > 2 && role.get(0).equals("slave") && role.get(2).equals(String.valueOf(master.port));
        }).findFirst().orElseThrow(() -> new IllegalStateException("no replica of the master on port " + master.port));
    }

    @Override
    public void close() {
        nodes.forEach(Node::stop);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One node of the cluster: its own port, directory and append-only file. */
    public final class Node {
        private final int port;
        private final RedisWorkDir dir = RedisWorkDir.create();
        private ChildServer server;

        private Node(int port) {
            this.port = port;
            this.server = ChildServer.startOn("redis-server (cluster node)", port, this::spawn, RespPing::answers,
                    START_TIMEOUT);
        }

        public int port() {
            return port;
        }

        public boolean isRunning() {
            return server.isRunning();
        }

        public boolean isMaster() {
            return cli.run(port, "role").startsWith("master");
        }

        /** This replica takes over its master ({@code CLUSTER FAILOVER}), which becomes its replica. */
        public void failover() {
            cli.run(port, "cluster", "failover");
        }

        /** SIGKILL: the others notice after the node timeout and fail it over if it was a master. */
        public void kill() {
            server.kill();
        }

        public void restart() {
            server = ChildServer.startOn("redis-server (cluster node)", port, this::spawn, RespPing::answers,
                    START_TIMEOUT);
        }

        void stop() {
            if (server != null) {
                server.stop();
            }
            dir.delete();
        }

        private ChildServer spawn(int p) {
            ProcessBuilder builder = new ProcessBuilder(binary.toString(), "--port", String.valueOf(p),
                    "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT_MS), "--save", "", "--appendonly", "yes",
                    "--dir", dir.path().toString());
            return new ChildServer("embedded-redis-cluster", builder, p, dir.log(), () -> {
            });
        }
    }
}
