package dev.bigsegments.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded broker as a process of its own, for fault tests that kill and restart it:
 * {@code BrokerMain <data dir> <broker port> <controller port>}. Prints {@link #READY} and the bootstrap
 * address once clients can connect, then runs until stopped; the data directory survives a restart.
 */
public final class BrokerMain {
    public static final String READY = "broker ready at ";

    private BrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: BrokerMain <data dir> <broker port> <controller port>");
            System.exit(2);
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "broker-shutdown"));
        System.out.println(READY + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
