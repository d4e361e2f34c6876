package dev.bigsegments.processor.topology;

import dev.bigsegments.schemas.DeadLetters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dead letters the processor wrote in this JVM, by source topic and reason: the stream threads count, the
 * service's metrics read them (bigsegments.processor.dead.letters).
 */
public final class DeadLetterCounts {
    private static final Map<Key, AtomicLong> COUNTS = new ConcurrentHashMap<>();
    private static volatile Listener listener;

    /** Told once of each (topic, reason) pair, when its first dead letter is counted. */
    @FunctionalInterface
    public interface Listener {
        void counterAdded(String topic, DeadLetters.Reason reason);
    }

    private record Key(String topic, DeadLetters.Reason reason) {
    }

    private DeadLetterCounts() {
    }

    /** The one listener (the service's metrics); it is told at once of the pairs counted so far. */
    public static void listen(Listener newListener) {
        listener = newListener;
        COUNTS.keySet().forEach(k -> newListener.counterAdded(k.topic(), k.reason()));
    }

    /** The count so far for one topic and reason. */
    public static long count(String topic, DeadLetters.Reason reason) {
        AtomicLong n = COUNTS.get(new Key(topic, reason));
        return n == null ? 0 : n.get();
    }

    static void increment(String topic, DeadLetters.Reason reason) {
        COUNTS.computeIfAbsent(new Key(topic, reason), k -> {
            Listener current = listener;
            if (current != null) {
                current.counterAdded(topic, reason);
            }
            return new AtomicLong();
        }).incrementAndGet();
    }
}
