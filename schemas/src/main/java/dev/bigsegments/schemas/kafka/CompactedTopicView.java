package dev.bigsegments.schemas.kafka;

import dev.bigsegments.schemas.Backoff;
import dev.bigsegments.schemas.serde.SchemaRegistryUnavailableException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory copy of a small compacted topic (segment definitions, import status), read from the
 * beginning by a background thread without a consumer group. {@link #awaitCaughtUp} gives
 * read-your-writes: it returns once everything committed before the call has been read.
 *
 * <p>A record that cannot be decoded is skipped (logged and counted, never kept); a registry that does not
 * answer is waited for, the record read again once it does.
 */
public final class CompactedTopicView<V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicView.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private static final Backoff REGISTRY_BACKOFF = Backoff.unlimited(Duration.ofMillis(100), Duration.ofSeconds(10));

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<V> valueDeserializer;
    private final AtomicLong skipped = new AtomicLong();
    private int registryAttempts;
    private final Map<Bytes, V> values = new ConcurrentHashMap<>();
    private final Thread thread;
    private final Admin admin;
    private final List<TopicPartition> partitions;
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    public CompactedTopicView(String topic, Map<String, Object> kafkaConfig, Deserializer<V> valueDeserializer) {
        this.topic = topic;
        Properties p = new Properties();
        p.putAll(kafkaConfig);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "view-" + topic + "-" + UUID.randomUUID());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.valueDeserializer = valueDeserializer;
        this.partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        this.admin = Admin.create(p);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "view-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    public V get(byte[] key) {
        return values.get(Bytes.wrap(key));
    }

    public Collection<V> values() {
        return values.values();
    }

    /** Blocks until every record committed to the topic before this call has been applied. */
    public void awaitCaughtUp(Duration timeout) throws TimeoutException, InterruptedException {
        Map<TopicPartition, Long> ends = Offsets.committedEnds(admin, partitions);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(ends)) {
            if (failure != null) {
                throw failure;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("view of " + topic + " did not catch up within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> seen = positions;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (seen.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void run() {
        try {
            while (running) {
                pollOnce();
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("view of {} stopped", topic, e);
        } finally {
            consumer.close();
        }
    }

    private void pollOnce() throws InterruptedException {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                if (!apply(r)) {
                    consumer.seek(tp, r.offset());
                    Thread.sleep(REGISTRY_BACKOFF.delay(++registryAttempts).toMillis());
                    break;
                }
            }
        }
        Map<TopicPartition, Long> now = new HashMap<>();
        for (TopicPartition tp : partitions) {
            now.put(tp, consumer.position(tp));
        }
        positions = now;
    }

    /** Records skipped because they could not be decoded. */
    public long skipped() {
        return skipped.get();
    }

    /** Applies one record; false when the registry did not answer (the record is to be read again). */
    private boolean apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            skip(r, "it has no key");
            return true;
        }
        if (r.value() == null) {
            values.remove(Bytes.wrap(r.key()));
            return true;
        }
        try {
            values.put(Bytes.wrap(r.key()), valueDeserializer.deserialize(r.topic(), r.headers(), r.value()));
            registryAttempts = 0;
        } catch (SerializationException e) {
            skip(r, e.getMessage());
        } catch (SchemaRegistryUnavailableException e) {
            LOG.warn("view of {}: {}; reading again shortly", topic, e.getMessage());
            return false;
        }
        return true;
    }

    private void skip(ConsumerRecord<byte[], byte[]> r, String why) {
        skipped.incrementAndGet();
        LOG.warn("view of {}: skipped {}-{}@{}: {}", topic, r.topic(), r.partition(), r.offset(), why);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close();
    }
}
