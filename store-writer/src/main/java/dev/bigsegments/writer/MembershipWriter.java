package dev.bigsegments.writer;

import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.writer.store.MembershipStore;
import dev.bigsegments.writer.store.SetOp;
import dev.bigsegments.writer.store.StoreWriteException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes membership changes and applies them to one store, at least once: each polled batch is
 * coalesced, written (retrying transient failures with backoff), and only then are the consumer's
 * positions committed. Set operations are idempotent, so a batch replayed after a crash is harmless.
 * One batch is in flight at a time: the store applies it while the next one is polled and coalesced, so
 * neither Kafka nor the store waits for the other. Between batches it stamps {@code synchronizedOn} for
 * every environment the pipeline has caught up on.
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
    private Batch pending;

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
        consumer.subscribe(List.of(options.topics().membership()), new ConfirmBeforeRevocation());
        try {
            while (running) {
                ConsumerRecords<byte[], MembershipState> records = consumer.poll(POLL);
                Batch next = records.isEmpty() ? null : send(records);
                pending = confirm(pending, next);
                if (pending == null) {
                    commit(positions());
                }
                long now = System.currentTimeMillis();
                if (now >= nextStampCheck) {
                    pending = confirm(pending, null);
                    stampIfCaughtUp(now);
                }
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

    /**
     * Coalesces the records and hands them to the store without waiting: the store works on them while
     * the next batch is polled and prepared. A failure to send shows when the batch is confirmed.
     */
    private Batch send(ConsumerRecords<byte[], MembershipState> records) {
        List<SetOp> ops = coalescer.coalesce(records);
        long start = System.nanoTime();
        MembershipStore.Sent sent;
        try {
            sent = store.send(ops);
        } catch (StoreWriteException e) {
            sent = () -> {
                throw e;
            };
        }
        return new Batch(ops, records.count(), positions(), describe(records), start, sent);
    }

    /**
     * Waits until the store has applied {@code done}, then commits the positions after it. When it failed,
     * {@code next} (already sent behind it) may or may not have been applied, so both are applied again,
     * in order, retrying transient failures with backoff.
     *
     * @return the batch still unconfirmed: {@code next}, or null when it was applied here
     */
    private Batch confirm(Batch done, Batch next) throws InterruptedException {
        if (done == null) {
            return next;
        }
        try {
            done.sent().await();
            metrics.applied(done.records(), done.ops(), System.nanoTime() - done.startNanos());
            commit(done.positions());
            return next;
        } catch (StoreWriteException e) {
            List<Batch> again = next == null ? List.of(done) : List.of(done, next);
            if (next != null) {
                awaitQuietly(next);
            }
            reapply(again, e);
            commit(again.get(again.size() - 1).positions());
            return null;
        }
    }

    /** Lets the store settle a batch that is about to be applied again anyway. */
    private static void awaitQuietly(Batch batch) {
        try {
            batch.sent().await();
        } catch (StoreWriteException e) {
            // applied again by the caller
        }
    }

    private void reapply(List<Batch> batches, StoreWriteException first) throws InterruptedException {
        StoreWriteException e = first;
        for (int attempt = 1;; attempt++) {
            if (!e.transientFailure() || attempt >= options.backoff().maxAttempts()) {
                throw new IllegalStateException("cannot apply " + describe(batches) + " to " + store.describe()
                        + (e.transientFailure() ? " after " + attempt + " attempts" : " (permanent error)"), e);
            }
            metrics.retried();
            Duration delay = options.backoff().delay(attempt);
            LOG.warn("transient store failure on attempt {} ({}); retrying in {} ms", attempt, e.getMessage(),
                    delay.toMillis());
            Thread.sleep(delay.toMillis());
            e = applyInOrder(batches);
            if (e == null) {
                return;
            }
        }
    }

    private StoreWriteException applyInOrder(List<Batch> batches) {
        for (Batch batch : batches) {
            long start = System.nanoTime();
            try {
                store.apply(batch.ops());
            } catch (StoreWriteException e) {
                return e;
            }
            metrics.applied(batch.records(), batch.ops(), System.nanoTime() - start);
        }
        return null;
    }

    /** The consumer's positions (not record offsets), so transaction markers past the last record count as read. */
    private Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            positions.put(tp, consumer.position(tp));
        }
        return positions;
    }

    private void commit(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, OffsetAndMetadata> changed = new HashMap<>();
        Set<TopicPartition> assigned = consumer.assignment();
        positions.forEach((tp, position) -> {
            if (assigned.contains(tp) && !position.equals(committed.get(tp))) {
                changed.put(tp, new OffsetAndMetadata(position));
            }
        });
        if (!changed.isEmpty()) {
            consumer.commitSync(changed);
            changed.forEach((tp, o) -> committed.put(tp, o.offset()));
        }
    }

    /** Called once every stamp interval, with no batch in flight. */
    private void stampIfCaughtUp(long now) throws InterruptedException {
        nextStampCheck = now + options.stampInterval().toMillis();
        Set<String> ready = pipeline.caughtUp(options.environments());
        for (String environment : ready) {
            store.stampSynchronizedOn(environment, now);
            lastStamp.put(environment, now);
        }
    }

    private static String describe(List<Batch> batches) {
        return batches.stream().map(Batch::description).collect(Collectors.joining(" and "));
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

    /**
     * A batch handed to the store and not yet confirmed.
     *
     * @param positions the consumer's positions right after the batch was polled: committed once it is applied
     */
    private record Batch(List<SetOp> ops, int records, Map<TopicPartition, Long> positions, String description,
            long startNanos, MembershipStore.Sent sent) {
    }

    /**
     * Before partitions move to another writer, the batch in flight is confirmed and committed, so the
     * new owner does not apply it again needlessly and no commit lands on a partition no longer owned.
     */
    private final class ConfirmBeforeRevocation implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!running) {
                // Closing: the batch in flight stays uncommitted and is applied again after a restart.
                pending = null;
                return;
            }
            try {
                pending = confirm(pending, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Others own them now; what was in flight is applied again by them.
            pending = null;
        }
    }
}
