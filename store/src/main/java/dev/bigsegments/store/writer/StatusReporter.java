package dev.bigsegments.store.writer;

import dev.bigsegments.schemas.Topics;
import dev.bigsegments.schemas.avro.StoreStatus;
import dev.bigsegments.store.MembershipStore;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports what one writer says of itself ({@link WriterStatus}: stamps, outage, loss, refills) and whether its
 * store answers, to the status topic every interval, keyed by store kind, group and instance; a tombstone when
 * it stops. The ingest service reads the topic for its status page, so a deployment whose services run apart
 * shows every store's freshness without the ingest service reaching a store.
 */
public final class StatusReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
    /** A report not acknowledged in this time is dropped: the next one says the same, newer. */
    private static final int DELIVERY_TIMEOUT_MS = 10_000;

    private final KafkaProducer<byte[], StoreStatus> producer;
    private final String topic;
    private final byte[] key;
    private final String kind;
    private final String groupId;
    private final String instance;
    private final Duration interval;
    private final MembershipWriter writer;
    private final MembershipStore store;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "store-writer-status");
        t.setDaemon(true);
        return t;
    });

    private StatusReporter(Map<String, Object> producerConfig, String topic, String kind, WriterOptions options,
            Duration interval, MembershipWriter writer, MembershipStore store) {
        this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                Topics.STATUS.valueSerializer(options.serdeConfig()));
        this.topic = topic;
        this.kind = kind;
        this.groupId = options.groupId();
        this.instance = ManagementFactory.getRuntimeMXBean().getName();
        this.key = (kind + "/" + groupId + "/" + instance).getBytes(StandardCharsets.UTF_8);
        this.interval = interval;
        this.writer = writer;
        this.store = store;
    }

    /** @param kind the kind of store, as the status shows it ({@code redis}, {@code dynamodb}) */
    public static StatusReporter start(WriterOptions options, String kind, Duration interval, WriterRuntime runtime,
            MembershipStore store) {
        Map<String, Object> config = new HashMap<>(options.serdeConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        config.putAll(options.kafkaOverrides());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "status-" + kind + "-" + options.groupId());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS / 2);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        StatusReporter reporter = new StatusReporter(config, options.topics().status(), kind, options, interval,
                runtime.writer(), store);
        reporter.timer.scheduleWithFixedDelay(reporter::report, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return reporter;
    }

    /** This writer's status as reported now. */
    StoreStatus snapshot() {
        WriterStatus status = writer.status();
        boolean reachable = store.isReachable();
        return StoreStatus.newBuilder().setStore(kind).setTarget(store.describe()).setGroupId(groupId)
                .setInstance(instance).setReportedAt(Instant.now()).setReportIntervalMs(interval.toMillis())
                .setRunning(status.running()).setReady(status.ready() && reachable).setReachable(reachable)
                .setOutage(status.outage() == null ? null : status.outage().describe())
                .setFailure(status.failure() == null ? null : String.valueOf(status.failure().getMessage()))
                .setLost(new ArrayList<>(status.lost())).setRefilling(new ArrayList<>(status.refilling().keySet()))
                .setStamps(new HashMap<>(status.lastStamps())).build();
    }

    private void report() {
        try {
            producer.send(new ProducerRecord<>(topic, key, snapshot()), (metadata, error) -> {
                if (error != null) {
                    LOG.debug("status report to {} not delivered: {}", topic, error.getMessage());
                }
            });
        } catch (RuntimeException e) {
            // Kafka or the registry does not answer: the writer reports its outage elsewhere; try next time.
            LOG.debug("status report to {} not sent: {}", topic, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            producer.send(new ProducerRecord<>(topic, key, null));
        } catch (RuntimeException e) {
            LOG.debug("no tombstone for {} on {}: {}", new String(key, StandardCharsets.UTF_8), topic, e.getMessage());
        }
        producer.close(Duration.ofSeconds(5));
    }
}
