package dev.bigsegments.standalone;

import dev.bigsegments.embedded.EmbeddedKafka;
import dev.bigsegments.embedded.EmbeddedRedis;

/**
 * One broker and one Redis per test JVM, shared by every test class (each uses its own topics,
 * consumer groups and key prefixes). A service that cannot start fails the test; nothing is skipped.
 */
final class SharedServices {
    private static EmbeddedKafka kafka;
    private static EmbeddedRedis redis;

    private SharedServices() {
    }

    static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.start(null);
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        }
        return kafka;
    }

    static synchronized EmbeddedRedis redis() {
        if (redis == null) {
            redis = EmbeddedRedis.start();
            Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
        }
        return redis;
    }
}
