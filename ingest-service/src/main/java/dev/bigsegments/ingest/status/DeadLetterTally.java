package dev.bigsegments.ingest.status;

import dev.bigsegments.schemas.DeadLetters;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the dead-letter topic by who set each record aside and why, and keeps the latest few: read from its
 * start (it keeps 14 days) by a consumer of its own, in no group. Only the headers are looked at: a dead letter's
 * value may hold a direct producer's raw keys, and it is never kept here.
 */
public final class DeadLetterTally implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTally.class);
    private static final int MAX_MESSAGE = 300;

    /** One dead letter as the status shows it. */
    public record Recent(long time, String source, String reason, String topic, String errorClass,
            String errorMessage) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final int keep;
    private final Map<String, AtomicLong> bySourceAndReason = new ConcurrentHashMap<>();
    private final Deque<Recent> recent = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean running = true;

    public DeadLetterTally(String topic, Map<String, Object> kafkaConfig, int keep) {
        Properties p = new Properties();
        p.putAll(kafkaConfig);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "dead-letter-tally-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.keep = keep;
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "dead-letter-tally");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(500)).forEach(this::count);
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("counting dead letters stopped", e);
        } finally {
            consumer.close();
        }
    }

    private void count(ConsumerRecord<byte[], byte[]> r) {
        String source = orUnknown(DeadLetters.header(r.headers(), DeadLetters.SOURCE));
        String reason = orUnknown(DeadLetters.header(r.headers(), DeadLetters.REASON));
        bySourceAndReason.computeIfAbsent(source + "\0" + reason, k -> new AtomicLong()).incrementAndGet();
        String message = DeadLetters.header(r.headers(), DeadLetters.ERROR_MESSAGE);
        Recent entry = new Recent(r.timestamp(), source, reason, DeadLetters.header(r.headers(), DeadLetters.TOPIC),
                DeadLetters.header(r.headers(), DeadLetters.ERROR_CLASS),
                shortened(message));
        synchronized (recent) {
            recent.addFirst(entry);
            while (recent.size() > keep) {
                recent.removeLast();
            }
        }
    }

    private static String shortened(String message) {
        return message == null || message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? "unknown" : value;
    }

    /** Dead letters by source, then by reason. */
    public Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        bySourceAndReason.forEach((k, v) -> {
            int sep = k.indexOf('\0');
            out.computeIfAbsent(k.substring(0, sep), s -> new TreeMap<>()).put(k.substring(sep + 1), v.get());
        });
        return out;
    }

    /** The latest dead letters, newest first. */
    public List<Recent> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
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
    }
}
