package dev.bigsegments.ingest.publish;

import dev.bigsegments.ingest.errors.Unavailable;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.SegmentCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes commands to bigsegments.commands keyed by segment, idempotently (acks=all, idempotent
 * producer), so one segment's commands stay in the order they were sent.
 */
public final class CommandPublisher implements AutoCloseable {
    private final KafkaProducer<SegmentId, SegmentCommand> producer;
    private final String topic;
    private final Consumer<SegmentCommand> onPublished;

    public CommandPublisher(Map<String, Object> clientConfig, Map<String, ?> serdeConfig, String topic) {
        this(clientConfig, serdeConfig, topic, command -> { });
    }

    /** @param onPublished told of each command Kafka acknowledged (for metrics) */
    public CommandPublisher(Map<String, Object> clientConfig, Map<String, ?> serdeConfig, String topic,
            Consumer<SegmentCommand> onPublished) {
        this.onPublished = onPublished;
        Map<String, Object> p = new HashMap<>(clientConfig);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        this.producer = new KafkaProducer<>(p, Topics.COMMANDS.keySerializer(),
                Topics.COMMANDS.valueSerializer(serdeConfig));
        this.topic = topic;
    }

    public static SegmentCommand command(SegmentId segment, String commandId, Object payload) {
        return SegmentCommand.newBuilder().setCommandId(commandId == null ? UUID.randomUUID().toString() : commandId)
                .setEnvironmentId(segment.environmentId()).setSegmentKey(segment.segmentKey())
                .setTimestamp(Instant.now()).setPayload(payload).build();
    }

    public Future<RecordMetadata> send(SegmentCommand command) {
        return send(command, error -> { });
    }

    /**
     * Sends without waiting; {@code onFailure} is told when Kafka did not take the command (a record too large,
     * a broker that did not answer within the delivery timeout, a value that cannot be serialized).
     */
    public Future<RecordMetadata> send(SegmentCommand command, Consumer<Exception> onFailure) {
        SegmentId key = new SegmentId(command.getEnvironmentId(), command.getSegmentKey());
        try {
            return producer.send(new ProducerRecord<>(topic, key, command), (metadata, error) -> {
                if (error == null) {
                    onPublished.accept(command);
                } else {
                    onFailure.accept(error);
                }
            });
        } catch (RuntimeException e) {
            onFailure.accept(e);
            throw e;
        }
    }

    /** Sends and waits until the broker has it (acks=all); {@link Unavailable} when it cannot. */
    public void sendAndWait(SegmentCommand command) {
        sendAllAndWait(List.of(command));
    }

    /**
     * Sends every command, then waits for all: one producer and one key per segment keep their order.
     * {@link Unavailable} when one cannot be published; the others may have been, and a retry with the
     * same command ids is dropped by the processor's de-duplication.
     */
    public void sendAllAndWait(List<SegmentCommand> commands) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(commands.size());
        try {
            for (SegmentCommand command : commands) {
                sent.add(send(command));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    private Unavailable unavailable(Throwable cause) {
        Unavailable e = new Unavailable("the change could not be published to " + topic + "; retry");
        e.initCause(cause);
        return e;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
