package dev.bigsegments.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for Redis Cluster nodes: a node also listens on its port + 10000 (the cluster bus), so both must be
 * free and the port at most 55535. The OS's ephemeral range reaches higher, so ports are probed here.
 */
final class ClusterPorts {
    static final int BUS_OFFSET = 10_000;
    private static final int LOW = 20_000;
    private static final int HIGH = 55_535;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private ClusterPorts() {
    }

    static synchronized int next() {
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH + 1);
            if (!HANDED_OUT.contains(port) && free(port) && free(port + BUS_OFFSET)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port pair (port, port + 10000) below " + HIGH);
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
