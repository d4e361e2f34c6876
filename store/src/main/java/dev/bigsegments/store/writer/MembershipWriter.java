package dev.bigsegments.store.writer;

import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.serde.SchemaRegistryUnavailableException;
import dev.bigsegments.schemas.serde.SchemaWarmUp;
import dev.bigsegments.store.MembershipStore;
import dev.bigsegments.store.SetOp;
import dev.bigsegments.store.StoreWriteException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes membership changes and applies them to one store, at least once: each polled batch is decoded,
 * coalesced and written, and only then are the consumer's positions committed. Set operations are
 * idempotent, so a batch replayed after a crash is harmless. One batch is in flight at a time: the store
 * applies it while the next one is polled and coalesced.
 *
 * <p>Failures are sorted as the project's design asks. A store, registry or broker that does not answer is
 * an {@link Outage}: the failed batches are kept, every partition is paused (nothing past them is consumed,
 * the consumer stays in its group), and they are applied again with capped backoff for as long as it lasts.
 * A record that cannot be used goes to the dead-letter topic and the writer goes on. Only a permanent store
 * error (credentials, permissions, a key of the wrong type) stops the writer.
 *
 * <p>Each store keeps a fill marker per environment and membership partition ({@link MembershipStore#fillMarkers}),
 * naming the consumer group that filled it. The markers are checked when partitions are assigned, after every
 * outage of the store, and at every stamp ({@link MembershipStore#stampWhileFilled}); a partition whose marker
 * is gone (the store lost its data) or names another group is read again from its start to refill the store
 * ({@link Refills}), and its environment is not stamped until that is done. Between batches
 * {@code synchronizedOn} is stamped for every environment the pipeline is current for ({@link PipelineStatus}).
 */
public final class MembershipWriter implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipWriter.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Long enough for a fetch already sent to come back (the broker answers at once when it has records). */
    private static final Duration POLL_BEHIND_PENDING = Duration.ofMillis(20);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    /** While a freshness check is under way it is advanced this often. */
    private static final long CHECK_STEP_MS = 200;

    private final WriterOptions options;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final MembershipStore store;
    private final PipelineStatus pipeline;
    private final RecordDecoder decoder;
    private final DeadLetterSink deadLetters;
    private final BatchCoalescer coalescer;
    private final WriterMetrics metrics;
    private final Refills refills = new Refills();
    private final RecentPositions recent;
    /** Per verified partition: the last offset committed (a refill reads below it; commits never go back). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    /** Assigned partitions whose fill markers are not checked yet; paused until they are. */
    private final Set<TopicPartition> unverified = new HashSet<>();
    /** Markers to write once the store answers: refills completed during an outage. */
    private final Map<String, Set<Integer>> unmarked = new HashMap<>();
    /** Markers this writer has seen in the store or written there: one gone since is a loss. */
    private final Set<Marker> marked = new HashSet<>();
    private final Map<String, Long> lastStamp = new ConcurrentHashMap<>();
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Set<Integer>> refilling = Map.of();
    private volatile Outage outage;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private long nextCheck;
    private Batch pending;
    /** Batches to apply again once an outage ends (none when only the store's answer is awaited). */
    private List<Batch> stalled;
    private List<Integer> allPartitions;

    public MembershipWriter(WriterOptions options, KafkaConsumer<byte[], byte[]> consumer, MembershipStore store,
            PipelineStatus pipeline, RecordDecoder decoder, DeadLetterSink deadLetters, MeterRegistry registry) {
        this.options = options;
        this.consumer = consumer;
        this.store = store;
        this.pipeline = pipeline;
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.coalescer = new BatchCoalescer(options.mode());
        this.recent = new RecentPositions(2 * options.replayAfterOutage().toMillis());
        this.metrics = new WriterMetrics(registry, store.describe(), lastStamp, options.environments(), () -> outage);
    }

    @Override
    public void run() {
        try {
            if (!SchemaWarmUp.await(options.serdeConfig(), readSchemas(), options.backoff(), () -> running)) {
                return;
            }
            consumer.subscribe(List.of(options.topics().membership()), new Rebalance());
            while (running) {
                step();
            }
        } catch (WakeupException | InterruptException e) {
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

    /** The schemas this writer reads, known to the registry client before the first record. */
    private List<SchemaWarmUp.TopicSchema> readSchemas() {
        return List.of(
                new SchemaWarmUp.TopicSchema(options.topics().membership(), MembershipState.getClassSchema(),
                        SchemaWarmUp.Use.READ),
                new SchemaWarmUp.TopicSchema(options.topics().imports(), ImportStatus.getClassSchema(),
                        SchemaWarmUp.Use.READ),
                new SchemaWarmUp.TopicSchema(options.topics().segments(), SegmentDefinition.getClassSchema(),
                        SchemaWarmUp.Use.READ));
    }

    private void step() throws InterruptedException {
        if (stalled != null) {
            retryStalled();
            return;
        }
        if (!unverified.isEmpty() || !unmarked.isEmpty()) {
            verifyFills();
            if (stalled != null) {
                return;
            }
        }
        // With a batch unconfirmed the poll is short: with nothing more to send behind it, the batch is confirmed
        // (and its positions committed) soon rather than after a whole poll's wait.
        ConsumerRecords<byte[], byte[]> records = consumer.poll(pending == null ? POLL : POLL_BEHIND_PENDING);
        Batch next = records.isEmpty() ? null : prepare(records);
        pending = confirm(pending, next);
        if (stalled != null) {
            return;
        }
        if (pending == null) {
            commit(positions(), false);
            completeRefills(positions());
        }
        checkFreshness();
    }

    // ---- batches ----

    /**
     * Decodes and coalesces the records and hands them to the store without waiting. Records that cannot be
     * used are written to the dead-letter topic first. When the registry or Kafka does not answer, the
     * records are rewound to be read again after the outage, and null is returned.
     */
    private Batch prepare(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        List<MembershipRecord> usable = new ArrayList<>(records.count());
        List<DeadLetterSink.Letter> letters = new ArrayList<>();
        int refill = 0;
        try {
            // Partition by partition: a key's records are on one partition, in order, so the last still wins.
            for (TopicPartition tp : records.partitions()) {
                for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                    MembershipRecord decoded = decode(r, letters);
                    if (decoded == null) {
                        continue;
                    }
                    switch (refills.treatment(tp, r.offset(), decoded.key().environmentId())) {
                        case APPLY -> usable.add(decoded);
                        case REFILL -> {
                            usable.add(decoded.asRefill());
                            refill++;
                        }
                        case SKIP -> {
                        }
                    }
                }
            }
            succeeded(Outage.Cause.REGISTRY);
            if (!letters.isEmpty()) {
                deadLetters.write(letters);
                letters.forEach(l -> metrics.deadLetter(l.reason()));
                succeeded(Outage.Cause.KAFKA);
            }
        } catch (SchemaRegistryUnavailableException e) {
            rewind(records);
            stall(Outage.Cause.REGISTRY, e, List.of());
            return null;
        } catch (KafkaException e) {
            rewind(records);
            stall(Outage.Cause.KAFKA, e, List.of());
            return null;
        }
        List<SetOp> ops = coalescer.coalesce(usable);
        long start = System.nanoTime();
        MembershipStore.Sent sent;
        try {
            sent = store.send(ops);
        } catch (StoreWriteException e) {
            sent = () -> {
                throw e;
            };
        }
        return new Batch(ops, records.count(), refill, positions(), describe(records), start, sent);
    }

    private MembershipRecord decode(ConsumerRecord<byte[], byte[]> record, List<DeadLetterSink.Letter> letters) {
        try {
            return decoder.decode(record);
        } catch (RecordDecoder.Unusable e) {
            LOG.warn("{}-{}@{} set aside as a dead letter ({}): {}", record.topic(), record.partition(),
                    record.offset(), e.reason().tag(), e.getMessage());
            letters.add(new DeadLetterSink.Letter(record, e.reason(), e.getCause()));
            return null;
        }
    }

    /**
     * Waits until the store has applied {@code done}, then commits the positions after it. When it failed,
     * {@code next} (already sent behind it) may or may not have been applied, so both wait for the outage to
     * end and are applied again, in order.
     *
     * @return the batch still unconfirmed: {@code next}, or null
     */
    private Batch confirm(Batch done, Batch next) {
        if (done == null) {
            return next;
        }
        try {
            done.sent().await();
        } catch (StoreWriteException e) {
            if (next != null) {
                awaitQuietly(next);
            }
            stall(Outage.Cause.STORE, e, next == null ? List.of(done) : List.of(done, next));
            return null;
        }
        applied(done, System.nanoTime() - done.startNanos(), next != null);
        return next;
    }

    /** Lets the store settle a batch that is about to be applied again anyway. */
    private static void awaitQuietly(Batch batch) {
        try {
            batch.sent().await();
        } catch (StoreWriteException e) {
            // applied again once the outage ends
        }
    }

    private void applied(Batch batch, long nanos) {
        applied(batch, nanos, false);
    }

    /** @param more another batch follows at once, whose commit comes soon: this one is not waited for */
    private void applied(Batch batch, long nanos, boolean more) {
        succeeded(Outage.Cause.STORE);
        metrics.applied(batch.records(), batch.refilled(), batch.ops(), nanos);
        commit(batch.positions(), more);
        completeRefills(batch.positions());
    }

    // ---- outages ----

    /**
     * Keeps {@code batches} to apply again and pauses every partition until they are: nothing past a failed
     * batch is consumed or committed. A permanent store error stops the writer instead.
     */
    private void stall(Outage.Cause cause, RuntimeException error, List<Batch> batches) {
        if (error instanceof StoreWriteException s && !s.transientFailure()) {
            throw new IllegalStateException("cannot write to " + store.describe() + ": " + s.getMessage()
                    + ". This will not pass by itself: check the store's credentials, the ACL user's permissions"
                    + " (README, Configuration) and keys of another type under the prefix (bigsegments verify and"
                    + " repair find them), then restart the writer", s);
        }
        List<Batch> kept = new ArrayList<>(stalled == null ? List.of() : stalled);
        kept.addAll(batches);
        stalled = kept;
        Outage current = outage;
        if (current == null || current.cause() != cause) {
            outage = Outage.begin(cause, error);
            metrics.outageBegan(cause);
            LOG.warn("{} for {} does not answer ({}); waiting it out, nothing past the last applied batch is"
                    + " committed", cause.tag(), store.describe(), error.getMessage());
        } else {
            outage = current.again(error);
            metrics.retried();
            LOG.debug("still waiting: {}", outage.describe());
        }
        consumer.pause(consumer.assignment());
    }

    /**
     * Waits the backoff delay (polling, so the consumer stays in its group and rebalances are handled), then
     * applies the stalled batches again, or, with none, asks the store whether it answers. When the store is
     * back its fill markers are checked again: it may have come back empty.
     */
    private void retryStalled() {
        Outage current = outage;
        consumer.pause(consumer.assignment());
        consumer.poll(options.backoff().delay(current == null ? 1 : current.attempts()));
        if (stalled == null) {
            return;
        }
        try {
            while (!stalled.isEmpty()) {
                Batch batch = stalled.get(0);
                long start = System.nanoTime();
                store.apply(batch.ops());
                stalled.remove(0);
                applied(batch, System.nanoTime() - start);
            }
            if (current != null && current.cause() == Outage.Cause.STORE && !store.isReachable()) {
                throw StoreWriteException.transientFailure("no answer to PING from " + store.describe(), null);
            }
        } catch (StoreWriteException e) {
            stall(Outage.Cause.STORE, e, List.of());
            return;
        }
        stalled = null;
        if (current != null && current.cause() == Outage.Cause.STORE) {
            succeeded(Outage.Cause.STORE);
            replayBefore(current.since().toEpochMilli());
            unverified.addAll(consumer.assignment());
        }
        resumeVerified();
    }

    /**
     * After a store outage, goes back to where each partition stood {@code replayAfterOutage} before it began: a
     * store that failed over to a replica may have lost writes it had acknowledged (replication is asynchronous),
     * and those records are committed. Applying them again in order is harmless.
     */
    private void replayBefore(long outageBegan) {
        long from = outageBegan - options.replayAfterOutage().toMillis();
        for (TopicPartition tp : consumer.assignment()) {
            Long back = recent.at(tp, from);
            if (back != null && committed.containsKey(tp) && back < consumer.position(tp)) {
                consumer.seek(tp, back);
            }
        }
    }

    /** Ends the outage of {@code cause}, if that is the one under way. */
    private void succeeded(Outage.Cause cause) {
        Outage current = outage;
        if (current != null && current.cause() == cause) {
            outage = null;
            LOG.info("{} for {} answers again after {} s", cause.tag(), store.describe(),
                    current.duration().toSeconds());
        }
    }

    private void resumeVerified() {
        Set<TopicPartition> verified = new HashSet<>(consumer.assignment());
        verified.removeAll(unverified);
        consumer.resume(verified);
    }

    /** Seeks each partition back to the batch's first record there, to read it again after an outage. */
    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
    }

    // ---- fill markers and refills ----

    /**
     * Writes the markers of refills completed during an outage, then checks the markers of the partitions
     * not verified yet, starting a refill where one is gone or names another group.
     */
    private void verifyFills() {
        pending = confirm(pending, null);
        if (stalled != null) {
            return;
        }
        try {
            for (Map.Entry<String, Set<Integer>> e : List.copyOf(unmarked.entrySet())) {
                store.markFilled(e.getKey(), e.getValue(), options.groupId());
                e.getValue().forEach(p -> marked.add(new Marker(e.getKey(), p)));
                unmarked.remove(e.getKey());
            }
            if (unverified.isEmpty()) {
                return;
            }
            for (TopicPartition tp : unverified) {
                // A partition just assigned stands at the group's committed offset: a refill never commits below it.
                committed.merge(tp, consumer.position(tp), Math::max);
            }
            Map<Integer, TopicPartition> byNumber = unverified.stream()
                    .collect(Collectors.toMap(TopicPartition::partition, tp -> tp));
            Map<TopicPartition, Set<String>> missing = new HashMap<>();
            for (String environment : options.environments()) {
                Map<Integer, String> markers = store.fillMarkers(environment, byNumber.keySet());
                byNumber.forEach((number, tp) -> {
                    if (options.groupId().equals(markers.get(number))) {
                        marked.add(new Marker(environment, number));
                    } else {
                        missing.computeIfAbsent(tp, t -> new HashSet<>()).add(environment);
                        reportMissing(environment, number, markers.get(number));
                    }
                });
            }
            startRefills(missing);
        } catch (StoreWriteException e) {
            stall(Outage.Cause.STORE, e, List.of());
            return;
        } catch (KafkaException e) {
            stall(Outage.Cause.KAFKA, e, List.of());
            return;
        }
        unverified.clear();
        resumeVerified();
    }

    private void reportMissing(String environment, int partition, String marker) {
        LOG.info("environment {}: partition {} of {} is not filled by group {} in {} ({}); refilling it from the"
                + " topic", environment, partition, options.topics().membership(), options.groupId(),
                store.describe(), marker == null ? "no fill marker" : "filled by group " + marker);
    }

    /**
     * Starts the refills. A marker this writer had seen is gone, or the group had read the partition before
     * this process started: the store lost data (a loss, counted and logged, and refused when refills are off).
     * Otherwise the partition is filled for the first time, or its interrupted fill starts again.
     */
    private void startRefills(Map<TopicPartition, Set<String>> missing) {
        if (missing.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(missing.keySet());
        Map<TopicPartition, Long> ends = consumer.endOffsets(missing.keySet());
        Set<String> cleared = new HashSet<>();
        for (Map.Entry<TopicPartition, Set<String>> e : missing.entrySet()) {
            TopicPartition tp = e.getKey();
            long position = consumer.position(tp);
            boolean readBefore = committed.get(tp) > beginnings.get(tp);
            Set<String> refill = new HashSet<>();
            for (String environment : e.getValue()) {
                Marker marker = new Marker(environment, tp.partition());
                boolean loss = marked.remove(marker) || (readBefore && !refills.covers(tp, environment));
                if (loss && cleared.add(environment)) {
                    lossDetected(environment);
                }
                if (!loss || options.rebuildOnLoss()) {
                    refill.add(environment);
                    refills.start(tp, environment, position, ends.get(tp));
                }
            }
            if (!refill.isEmpty()) {
                consumer.seek(tp, beginnings.get(tp));
            }
        }
        refilling = refills.byEnvironment();
    }

    private void lossDetected(String environment) {
        metrics.lossDetected(environment);
        store.clearSynchronizedOn(environment);
        lastStamp.remove(environment);
        if (options.rebuildOnLoss()) {
            LOG.warn("environment {}: {} lost data this writer had written (a fill marker is gone or names"
                    + " another group); synchronizedOn is removed and the store is refilled from {}", environment,
                    store.describe(), options.topics().membership());
        } else {
            lost.add(environment);
            LOG.error("environment {}: {} lost data this writer had written; synchronizedOn is removed and stays"
                    + " so (rebuild-on-loss=false). Restart the writer with bigsegments.writer.rebuild-on-loss=true,"
                    + " or rebuild the store with `bigsegments rebuild` in a new group and run the writer in that"
                    + " group", environment, store.describe());
        }
    }

    /**
     * Notes the environments whose refill of a partition is complete now that {@code applied} is written; their
     * markers are written at the start of the next step.
     */
    private void completeRefills(Map<TopicPartition, Long> applied) {
        for (TopicPartition tp : refills.partitions()) {
            Long position = applied.get(tp);
            if (position == null) {
                continue;
            }
            for (String environment : refills.complete(tp, position)) {
                unmarked.computeIfAbsent(environment, e -> new HashSet<>()).add(tp.partition());
                LOG.info("environment {}: partition {} refilled into {}", environment, tp.partition(),
                        store.describe());
            }
        }
        refilling = refills.byEnvironment();
    }

    // ---- offsets ----

    /** The consumer's positions on verified partitions (transaction markers past the last record count as read). */
    private Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (committed.containsKey(tp)) {
                positions.put(tp, consumer.position(tp));
            }
        }
        return positions;
    }

    /**
     * Commits positions past the last commit; a refill reading below it commits nothing until it passes it. While
     * batches follow one another the commit is not waited for ({@code async}): its answer comes with a later poll
     * or commit, the commits reach the group coordinator in order, and the next one carries the positions of any
     * that failed. The commit when the writer catches up, and the one before partitions move, are waited for;
     * closing the consumer waits for those still unanswered. A commit lost to a crash costs records read and
     * applied again, which is harmless.
     */
    private void commit(Map<TopicPartition, Long> positions, boolean async) {
        Map<TopicPartition, OffsetAndMetadata> changed = new HashMap<>();
        Set<TopicPartition> assigned = consumer.assignment();
        positions.forEach((tp, position) -> {
            Long last = committed.get(tp);
            if (assigned.contains(tp) && last != null && position > last) {
                changed.put(tp, new OffsetAndMetadata(position));
            }
        });
        if (changed.isEmpty()) {
            return;
        }
        if (async) {
            consumer.commitAsync(changed, (offsets, e) -> {
                if (e == null) {
                    committed(offsets);
                } else {
                    commitFailed(e);
                }
            });
            return;
        }
        try {
            consumer.commitSync(changed, COMMIT_TIMEOUT);
            committed(changed);
        } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
            commitFailed(e);
        }
    }

    /** Commits confirmed; partitions no longer assigned (or not verified since) are left alone. */
    private void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        long now = System.currentTimeMillis();
        offsets.forEach((tp, o) -> {
            if (committed.computeIfPresent(tp, (p, last) -> Math.max(last, o.offset())) != null) {
                recent.record(tp, o.offset(), now);
            }
        });
    }

    private static void commitFailed(Exception e) {
        if (e instanceof CommitFailedException || e instanceof RebalanceInProgressException) {
            LOG.debug("commit refused; the partitions' new owner applies the batch again", e);
        } else {
            LOG.warn("cannot commit offsets now ({}); the next commit carries them", e.getMessage());
        }
    }

    // ---- synchronizedOn ----

    /** Advances the freshness check and stamps the environments it finds current. */
    private void checkFreshness() {
        long now = System.currentTimeMillis();
        if (now < nextCheck) {
            return;
        }
        PipelineStatus.Current current;
        try {
            current = pipeline.advance(candidates(), now).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (KafkaException | IllegalStateException e) {
            LOG.warn("cannot tell whether the pipeline is current ({}); not stamping, trying again", e.getMessage());
            nextCheck = now + options.stampInterval().toMillis();
            return;
        }
        if (current == null) {
            nextCheck = now + (pipeline.checking() ? CHECK_STEP_MS : options.stampInterval().toMillis());
            return;
        }
        nextCheck = current.asOf() + options.stampInterval().toMillis();
        Set<String> still = candidates();
        for (String environment : current.environments()) {
            if (still.contains(environment) && stalled == null) {
                stamp(environment, current.asOf());
            }
        }
    }

    /** Environments that may be stamped: not refilling, not verifying, not lost, and partitions assigned. */
    private Set<String> candidates() {
        if (!unverified.isEmpty() || outage != null || consumer.assignment().isEmpty()) {
            return Set.of();
        }
        Set<String> candidates = new HashSet<>(options.environments());
        candidates.removeAll(lost);
        candidates.removeIf(refills::refilling);
        candidates.removeAll(unmarked.keySet());
        return candidates;
    }

    /**
     * Stamps only a store whose every partition this group filled ({@link MembershipStore#stampWhileFilled}). When
     * it does not stamp, a marker gone is acted on; markers all present mean another instance of the group was
     * stamping at the same moment (its token replaced this one's), so this one tries once more.
     */
    private void stamp(String environment, long asOf) {
        List<Integer> partitions = allPartitions();
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                if (store.stampWhileFilled(environment, asOf, partitions, options.groupId())) {
                    lastStamp.put(environment, asOf);
                    return;
                }
                Map<Integer, String> markers = store.fillMarkers(environment, partitions);
                if (!MembershipStore.filledBy(markers, partitions, options.groupId())) {
                    markersGone(environment, markers, partitions);
                    return;
                }
            }
            LOG.debug("environment {}: another writer of group {} was stamping {} at the same moment", environment,
                    options.groupId(), store.describe());
        } catch (StoreWriteException e) {
            stall(Outage.Cause.STORE, e, List.of());
        }
    }

    /**
     * Some partition's marker is missing: this writer's own are checked again; other instances of the group see
     * to theirs (while they fill for the first time, that is expected: a loss is only what was marked before).
     */
    private void markersGone(String environment, Map<Integer, String> markers, List<Integer> partitions) {
        Set<Integer> gone = partitions.stream().filter(p -> !options.groupId().equals(markers.get(p)))
                .collect(Collectors.toSet());
        boolean lostMarked = gone.stream().anyMatch(p -> marked.contains(new Marker(environment, p)));
        if (lostMarked) {
            LOG.warn("environment {}: not stamping {}: partitions {} are not filled by group {}", environment,
                    store.describe(), gone, options.groupId());
        } else {
            LOG.debug("environment {}: not stamping {} yet: partitions {} are still being filled", environment,
                    store.describe(), gone);
        }
        for (TopicPartition tp : consumer.assignment()) {
            if (gone.contains(tp.partition())) {
                unverified.add(tp);
                consumer.pause(List.of(tp));
            }
        }
    }

    private List<Integer> allPartitions() {
        if (allPartitions == null) {
            allPartitions = consumer.partitionsFor(options.topics().membership()).stream()
                    .map(p -> p.partition()).sorted().toList();
        }
        return allPartitions;
    }

    private static String describe(ConsumerRecords<byte[], byte[]> records) {
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

    public WriterStatus status() {
        return new WriterStatus(running, failure, outage, Set.copyOf(lost), refilling, Map.copyOf(lastStamp));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }

    /** One environment's share of one partition of the membership topic. */
    private record Marker(String environment, int partition) {
    }

    /**
     * A batch handed to the store and not yet confirmed.
     *
     * @param refilled how many of its records refill a store
     * @param positions the consumer's positions right after the batch was polled: committed once it is applied
     */
    private record Batch(List<SetOp> ops, int records, int refilled, Map<TopicPartition, Long> positions,
            String description, long startNanos, MembershipStore.Sent sent) {
    }

    /**
     * Before partitions move, the batch in flight is confirmed and committed, so the new owner does not apply
     * it again needlessly. Batches waiting out an outage are left to whoever owns their partitions next: they
     * are not committed, so the new owner reads them again.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (running && stalled == null) {
                pending = confirm(pending, null);
            }
            if (!running || stalled != null) {
                pending = null;
                stalled = null;
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            unverified.addAll(partitions);
            consumer.pause(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            pending = null;
            stalled = null;
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(committed::remove);
            recent.forget(partitions);
            Set<Integer> numbers = partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
            marked.removeIf(m -> numbers.contains(m.partition()));
            unverified.removeAll(partitions);
            refills.forget(partitions);
            refilling = refills.byEnvironment();
        }
    }
}
