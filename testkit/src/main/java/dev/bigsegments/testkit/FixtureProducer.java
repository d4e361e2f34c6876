package dev.bigsegments.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a test's records straight to a topic and never loses one silently. A plain {@code send} without a
 * callback drops a record whose delivery failed: on a loaded machine a request can time out and the batch
 * expire, and the test then blames the code under test for records that never reached the topic. This
 * producer is idempotent, waits up to ten minutes per record (a slow broker delays the test instead of
 * losing data) and {@link #flush()} fails if any record was not written.
 *
 * <p>One request in flight at a time: with more, a first batch refused while a new topic's leader settles
 * can be overtaken by the next, and the idempotent producer then retries the first one forever with an
 * out-of-order sequence (KAFKA-14359).
 */
public final class FixtureProducer<K, V> implements AutoCloseable {
    private static final int DELIVERY_TIMEOUT_MS = 600_000;
    private static final int REQUEST_TIMEOUT_MS = 120_000;

    private final KafkaProducer<K, V> producer;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    public FixtureProducer(String bootstrapServers, Serializer<K> keys, Serializer<V> values) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, REQUEST_TIMEOUT_MS);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        this.producer = new KafkaProducer<>(config, keys, values);
    }

    /** Sends without waiting; a failure is kept and reported by {@link #flush()}. */
    public void send(ProducerRecord<K, V> record) {
        sent.incrementAndGet();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, error);
            }
        });
    }

    /**
     * Waits until every record sent so far is written.
     *
     * @throws IllegalStateException if any record could not be written, with how many and the first error
     */
    public void flush() {
        producer.flush();
        Exception error = firstFailure.get();
        if (error != null) {
            throw new IllegalStateException(failed.get() + " of " + sent.get()
                    + " fixture records were not written to Kafka; the test's expectations would be wrong: "
                    + error, error);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
