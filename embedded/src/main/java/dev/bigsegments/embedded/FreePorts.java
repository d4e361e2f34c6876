package dev.bigsegments.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free TCP ports on the loopback interface. */
public final class FreePorts {
    // Ports already handed out in this JVM: the OS may offer a just-released port again before
    // the first caller has bound it, so two embedded servers could otherwise collide.
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final int ATTEMPTS = 50;

    private FreePorts() {
    }

    /** A loopback port that was free a moment ago and has not been returned before by this JVM. */
    public static synchronized int next() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = probe();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free loopback port found after " + ATTEMPTS + " attempts");
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a loopback socket", e);
        }
    }
}
