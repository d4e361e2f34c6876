package dev.bigsegments.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of {@code redis-server} child processes on loopback (ports at most 55535, as the cluster bus
 * listens 10000 higher), created with the commands {@code redis-cli --cluster create} sends (slots shared evenly
 * among the masters, distinct config epochs, every node met, each replica attached to its master), so that
 * nothing but {@code redis-server} is needed: Debian's, or the one bundled for this platform. Each node has its
 * own append-only file, so it can be killed and restarted with its data; nodes can be failed over
 * ({@code CLUSTER FAILOVER} on a replica) and killed, for fault tests.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** A node missing this long is failed over by the others. */
    static final int NODE_TIMEOUT_MS = 2_000;

    private static final int SLOTS = 16_384;

    private final Path binary;
    private final List<Node> nodes = new ArrayList<>();

    private EmbeddedRedisCluster(Path binary) {
        this.binary = binary;
    }

    /** Starts {@code masters} masters with {@code replicas} replicas each and waits until the cluster is ok. */
    public static EmbeddedRedisCluster start(int masters, int replicas) {
        EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(EmbeddedRedis.requireRedisServer());
        try {
            for (int i = 0; i < masters * (1 + replicas); i++) {
                cluster.nodes.add(cluster.new Node(ClusterPorts.next()));
            }
            cluster.create(masters);
            cluster.awaitHealthy();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** What {@code redis-cli --cluster create} does: the first {@code masters} nodes are masters, the rest replicas. */
    private void create(int masters) {
        for (int i = 0; i < masters; i++) {
            List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = i * SLOTS / masters; slot < (i + 1) * SLOTS / masters; slot++) {
                command.add(String.valueOf(slot));
            }
            RespAdmin.call(nodes.get(i).port, command.toArray(String[]::new));
        }
        for (int i = 0; i < nodes.size(); i++) {
            RespAdmin.call(nodes.get(i).port, "CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1));
        }
        for (Node node : nodes.subList(1, nodes.size())) {
            RespAdmin.call(nodes.get(0).port, "CLUSTER", "MEET", "127.0.0.1", String.valueOf(node.port));
        }
        Waits.until("every node knows every other", READY_TIMEOUT, () -> nodes.stream().allMatch(n -> {
            List<String> known = RespAdmin.call(n.port, "CLUSTER", "NODES").lines().toList();
            return known.size() == nodes.size() && known.stream().noneMatch(l -> l.contains("handshake"));
        }));
        for (int i = masters; i < nodes.size(); i++) {
            String masterId = RespAdmin.call(nodes.get((i - masters) % masters).port, "CLUSTER", "MYID");
            RespAdmin.call(nodes.get(i).port, "CLUSTER", "REPLICATE", masterId);
        }
        List<Node> replicas = nodes.subList(masters, nodes.size());
        Waits.until("every replica is in sync with its master", READY_TIMEOUT, () -> replicas.stream().allMatch(n -> {
            List<String> role = RespAdmin.call(n.port, "ROLE").lines().toList();
            return role.size() > 3 && role.get(0).equals("slave") && role.get(3).equals("connected");
        }));
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

    /** Waits until every running node reports {@code cluster_state:ok}. */
    public void awaitHealthy() {
        Waits.until("every node reports cluster_state:ok", READY_TIMEOUT, () -> nodes.stream().filter(Node::isRunning)
                .allMatch(n -> RespAdmin.call(n.port, "CLUSTER", "INFO").contains("cluster_state:ok")));
    }

    /** A replica of {@code master}, as the replicas see it now ({@code ROLE}: slave, host, master port, ...). */
    public Node replicaOf(Node master) {
        return nodes.stream().filter(n -> n != master && n.isRunning()).filter(n -> {
            List<String> role = RespAdmin.call(n.port, "ROLE").lines().toList();
            return role.size() > 2 && role.get(0).equals("slave") && role.get(2).equals(String.valueOf(master.port));
        }).findFirst().orElseThrow(() -> new IllegalStateException("no replica of the master on port " + master.port));
    }

    @Override
    public void close() {
        nodes.forEach(Node::stop);
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
            return RespAdmin.call(port, "ROLE").startsWith("master");
        }

        /** This replica takes over its master ({@code CLUSTER FAILOVER}), which becomes its replica. */
        public void failover() {
            RespAdmin.call(port, "CLUSTER", "FAILOVER");
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
