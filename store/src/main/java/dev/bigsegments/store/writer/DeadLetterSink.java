package dev.bigsegments.store.writer;

import dev.bigsegments.schemas.DeadLetters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the records a writer cannot use to the dead-letter topic, unchanged but for the headers naming
 * where they came from and why ({@link DeadLetters}). A batch's dead letters are acknowledged before the
 * batch's offsets are committed, so a record is never skipped without being kept (at least once: a crash in
 * between writes it again).
 */
final class DeadLetterSink implements AutoCloseable {
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String source;

    DeadLetterSink(Map<String, Object> kafkaConfig, String topic, String source) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "dead-letters-" + source.replace('/', '-'));
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.source = source;
    }

    /** One record set aside, and why. */
    record Letter(ConsumerRecord<byte[], byte[]> record, DeadLetters.Reason reason, Throwable error) {
    }

    /**
     * Writes the letters and waits until Kafka has every one.
     *
     * @throws KafkaException when Kafka did not take them: the caller reads the records again later
     */
    void write(List<Letter> letters) throws InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(letters.size());
        for (Letter letter : letters) {
            ConsumerRecord<byte[], byte[]> r = letter.record();
            sent.add(producer.send(new ProducerRecord<>(topic, null, r.key(), r.value(), DeadLetters.headers(
                    r.headers(), r.topic(), r.partition(), r.offset(), letter.reason(), letter.error(), source))));
        }
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new KafkaException("cannot write dead letters to " + topic + ": " + e.getCause().getMessage(),
                        e.getCause());
            } catch (TimeoutException e) {
                throw new KafkaException("dead letters not acknowledged by " + topic + " within " + ACK_TIMEOUT, e);
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
