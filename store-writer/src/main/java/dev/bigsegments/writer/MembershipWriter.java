package dev.bigsegments.writer;

import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.writer.store.MembershipStore;
import dev.bigsegments.writer.store.SetOp;
import dev.bigsegments.writer.store.StoreWriteException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes membership changes and applies them to one store, at least once: each polled batch is
 * coalesced, written (retrying transient failures with backoff), and only then are the consumer's
 * positions committed. Set operations are idempotent, so a batch replayed after a crash is harmless.
 * Between batches it stamps {@code synchronizedOn} for every environment the pipeline has caught up on.
 */
public final class MembershipWriter implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipWriter.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final WriterOptions options;
    private final KafkaConsumer<byte[], MembershipState> consumer;
    private final MembershipStore store;
    private final PipelineStatus pipeline;
    private final BatchCoalescer coalescer;
    private final WriterMetrics metrics;
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<String, Long> lastStamp = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile Throwable failure;
    private long nextStampCheck;

    public MembershipWriter(WriterOptions options, KafkaConsumer<byte[], MembershipState> consumer,
            MembershipStore store, PipelineStatus pipeline, MeterRegistry registry) {
        this.options = options;
        this.consumer = consumer;
        this.store = store;
        this.pipeline = pipeline;
        this.coalescer = new BatchCoalescer(options.mode());
        this.metrics = new WriterMetrics(registry, store.describe(), lastStamp, options.environments());
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(options.topics().membership()));
        try {
            while (running) {
                ConsumerRecords<byte[], MembershipState> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    write(records);
                }
                commitPositions();
                stampIfCaughtUp();
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("store writer for {} stopped; nothing past the last applied batch was committed",
                    store.describe(), e);
        } finally {
            running = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void write(ConsumerRecords<byte[], MembershipState> records) throws InterruptedException {
        List<SetOp> ops = coalescer.coalesce(records);
        long start = System.nanoTime();
        for (int attempt = 1;; attempt++) {
            try {
                store.apply(ops);
                metrics.applied(records.count(), ops, System.nanoTime() - start);
                return;
            } catch (StoreWriteException e) {
                if (!e.transientFailure() || attempt >= options.backoff().maxAttempts()) {
                    throw new IllegalStateException("cannot apply " + describe(records) + " to " + store.describe()
                            + (e.transientFailure() ? " after " + attempt + " attempts" : " (permanent error)"), e);
                }
                metrics.retried();
                Duration delay = options.backoff().delay(attempt);
                LOG.warn("transient store failure on attempt {} ({}); retrying in {} ms", attempt, e.getMessage(),
                        delay.toMillis());
                Thread.sleep(delay.toMillis());
            }
        }
    }

    /** Commits positions (not record offsets) so transaction markers past the last record count as read. */
    private void commitPositions() {
        Map<TopicPartition, OffsetAndMetadata> changed = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            long position = consumer.position(tp);
            if (!Long.valueOf(position).equals(committed.get(tp))) {
                changed.put(tp, new OffsetAndMetadata(position));
            }
        }
        if (!changed.isEmpty()) {
            consumer.commitSync(changed);
            changed.forEach((tp, o) -> committed.put(tp, o.offset()));
        }
    }

    private void stampIfCaughtUp() throws InterruptedException {
        long now = System.currentTimeMillis();
        if (now < nextStampCheck) {
            return;
        }
        nextStampCheck = now + options.stampInterval().toMillis();
        Set<String> ready = pipeline.caughtUp(options.environments());
        for (String environment : ready) {
            store.stampSynchronizedOn(environment, now);
            lastStamp.put(environment, now);
        }
    }

    private static String describe(ConsumerRecords<byte[], MembershipState> records) {
        StringBuilder sb = new StringBuilder("batch");
        for (TopicPartition tp : records.partitions()) {
            var list = records.records(tp);
            sb.append(' ').append(tp).append('@').append(list.get(0).offset()).append('-')
                    .append(list.get(list.size() - 1).offset());
        }
        return sb.toString();
    }

    public boolean isRunning() {
        return running;
    }

    public Throwable failure() {
        return failure;
    }

    /** Unix ms of the last stamp per environment. */
    public Map<String, Long> lastStamps() {
        return Map.copyOf(lastStamp);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
