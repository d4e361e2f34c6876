package dev.bigsegments.schemas.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
 */
public final class CompactedTopicView<V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicView.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final KafkaConsumer<byte[], V> consumer;
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
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), valueDeserializer);
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
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("view of {} stopped", topic, e);
        } finally {
            consumer.close();
        }
    }

    private void pollOnce() {
        for (ConsumerRecord<byte[], V> r : consumer.poll(POLL)) {
            if (r.value() == null) {
                values.remove(Bytes.wrap(r.key()));
            } else {
                values.put(Bytes.wrap(r.key()), r.value());
            }
        }
        Map<TopicPartition, Long> now = new HashMap<>();
        for (TopicPartition tp : partitions) {
            now.put(tp, consumer.position(tp));
        }
        positions = now;
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
