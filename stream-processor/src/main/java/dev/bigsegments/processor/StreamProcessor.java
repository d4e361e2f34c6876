package dev.bigsegments.processor;

import dev.bigsegments.processor.state.RocksDbTuning;
import dev.bigsegments.processor.topology.ProcessorSettings;
import dev.bigsegments.processor.topology.SegmentTopology;
import dev.bigsegments.processor.topology.ShardLayout;
import dev.bigsegments.schemas.Backoff;
import dev.bigsegments.schemas.Shards;
import dev.bigsegments.schemas.TopicNames;
import dev.bigsegments.schemas.TopicSetup;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import dev.bigsegments.schemas.serde.SchemaWarmUp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream processor as a library: builds the topology and runs it with exactly-once semantics.
 * The Quarkus application, the standalone launcher and the crash tests all start it through here.
 */
public final class StreamProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessor.class);

    /** How long the stream thread waits for new commands in one poll (Kafka Streams' default is 100 ms). */
    static final long POLL_MS = 20;
    /** How long the group waits for a member that stopped heartbeating (the consumer's default is 45 s). */
    static final int SESSION_TIMEOUT_MS = 15_000;
    /** In {@link #shardCounts}: a state laid out in shards before their count was recorded. */
    private static final int UNKNOWN_COUNT = 0;
    private static final int LIST_TOPICS_TIMEOUT_MS = 10_000;
    private static final Backoff REGISTRY_BACKOFF = Backoff.unlimited(Duration.ofMillis(200), Duration.ofSeconds(30));

    private final KafkaStreams streams;
    private final ShardLayout layout;
    private final Thread starter;
    private volatile boolean closing;
    private volatile String refusal;

    private StreamProcessor(KafkaStreams streams, ShardLayout layout, Options options) {
        this.streams = streams;
        this.layout = layout;
        this.starter = new Thread(() -> startWhenRegistryAnswers(options), "stream-processor-start");
    }

    /**
     * Starts the processor once the schema registry knows the schemas it reads and writes (at once with the
     * in-process registry; a registry that does not answer is waited for, the processor not ready meanwhile).
     */
    public static StreamProcessor start(Options options) {
        ShardLayout layout = options.settings().shards() > 1 ? shardTopic(options) : null;
        KafkaStreams streams = new KafkaStreams(
                SegmentTopology.build(options.topics(), options.settings(), layout, options.serdeConfig()),
                streamsConfig(options));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it (it resumes from its last committed transaction)", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        StreamProcessor processor = new StreamProcessor(streams, layout, options);
        processor.starter.start();
        return processor;
    }

    /**
     * With shards: the shard topic, created when missing with as many partitions as the commands topic (the
     * same replication and retention), and the layout of the shards over it.
     */
    static ShardLayout shardTopic(Options options) {
        String name = Shards.topic(options.topics());
        try (Admin admin = admin(options)) {
            Set<String> existing = admin.listTopics().names().get();
            String members = options.applicationId() + "-" + SegmentTopology.MEMBERS_STORE + "-changelog";
            Set<Integer> laidOut = shardCounts(existing, options.applicationId());
            if (laidOut.stream().anyMatch(count -> count != UNKNOWN_COUNT && count != options.settings().shards())) {
                throw new IllegalStateException(keepTheCount(options, laidOut));
            }
            if (laidOut.contains(UNKNOWN_COUNT)) {
                LOG.warn("application {} was sharded before its shard count was recorded; it is recorded now as {}:"
                        + " if that is not the count it was started with, stop it and see docs/production.md, Shards",
                        options.applicationId(), options.settings().shards());
            }
            if (!existing.contains(name) && existing.contains(members)) {
                throw new IllegalStateException("bigsegments.processor.shards is " + options.settings().shards()
                        + " but application " + options.applicationId() + " has state kept with one shard per"
                        + " segment (" + members + " exists and " + name + " does not); shards are set when a"
                        + " processor's state is new: see docs/production.md, Shards");
            }
            return new ShardLayout(options.settings().shards(), TopicSetup.ensureShardTopic(admin, options.topics()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up the shard topic", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the topics to set up the shard topic " + name + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private static Admin admin(Options options) {
        Map<String, Object> config = new HashMap<>(options.kafkaOverrides());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        return Admin.create(config);
    }

    /** The shard counts an application's state was laid out with: none when it was never run with shards. */
    static Set<Integer> shardCounts(Set<String> topics, String applicationId) {
        Pattern layout = Pattern.compile(Pattern.quote(applicationId + "-" + Shards.LAYOUT_STORE_PREFIX)
                + "([0-9]{1,9})-changelog");
        Set<Integer> counts = new TreeSet<>();
        for (String topic : topics) {
            Matcher m = layout.matcher(topic);
            if (m.matches()) {
                counts.add(Integer.parseInt(m.group(1)));
            }
        }
        if (counts.isEmpty() && topics.contains(applicationId + "-" + SegmentTopology.SHARD_VOTES_STORE + "-changelog")) {
            // Sharded before the count was recorded: the count is unknown, the state is sharded all the same.
            counts.add(UNKNOWN_COUNT);
        }
        return counts;
    }

    /**
     * Without shards: the reason the application's state cannot be run with one shard per segment (it was laid
     * out in shards), or null. Waits for the broker to answer, for as long as the processor is not closed.
     */
    private String refusalWithoutShards(Options options) throws InterruptedException {
        Admin admin = admin(options);
        try {
            for (int attempt = 1; !closing; attempt++) {
                try {
                    Set<Integer> laidOut = shardCounts(admin.listTopics(new ListTopicsOptions()
                            .timeoutMs(LIST_TOPICS_TIMEOUT_MS)).names().get(), options.applicationId());
                    return laidOut.isEmpty() ? null : keepTheCount(options, laidOut);
                } catch (ExecutionException e) {
                    Duration delay = REGISTRY_BACKOFF.delay(attempt);
                    LOG.warn("cannot list the topics to check the processor's shard layout ({}); retrying in {} ms",
                            e.getCause().getMessage(), delay.toMillis());
                    Thread.sleep(delay.toMillis());
                }
            }
            return null;
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static String keepTheCount(Options options, Set<Integer> laidOut) {
        String counts = laidOut.contains(UNKNOWN_COUNT) ? "shards"
                : laidOut.stream().map(String::valueOf).collect(Collectors.joining(" and ")) + " shards";
        return "bigsegments.processor.shards is " + options.settings().shards() + " but application "
                + options.applicationId() + " has its state laid out in " + counts + "; a shard count is kept for"
                + " the life of the state: start with the count it was started with, see docs/production.md, Shards";
    }

    /** Why the processor refused to start, or null when it did not. */
    public String refusal() {
        return refusal;
    }

    private void startWhenRegistryAnswers(Options options) {
        TopicNames t = options.topics();
        List<SchemaWarmUp.TopicSchema> schemas = List.of(
                new SchemaWarmUp.TopicSchema(t.commands(), SegmentCommand.getClassSchema(), SchemaWarmUp.Use.READ),
                new SchemaWarmUp.TopicSchema(t.membership(), MembershipState.getClassSchema(), SchemaWarmUp.Use.WRITE),
                new SchemaWarmUp.TopicSchema(t.segments(), SegmentDefinition.getClassSchema(), SchemaWarmUp.Use.WRITE),
                new SchemaWarmUp.TopicSchema(t.imports(), ImportStatus.getClassSchema(), SchemaWarmUp.Use.WRITE));
        try {
            String refused;
            try {
                refused = layout == null ? refusalWithoutShards(options) : null;
            } catch (RuntimeException e) {
                refused = "cannot check the shard layout of application " + options.applicationId() + ": " + e;
            }
            if (refused != null) {
                refuse(refused);
                return;
            }
            if (SchemaWarmUp.await(options.serdeConfig(), schemas, REGISTRY_BACKOFF, () -> !closing)) {
                streams.start();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the stream processor cannot start: the schema registry refused its schemas", e);
        }
    }

    /** Does not start: Kafka Streams is closed, so liveness goes down, and health shows the reason. */
    private void refuse(String reason) {
        refusal = reason;
        LOG.error("the stream processor refuses to start: {}", reason);
        streams.close(Duration.ZERO);
    }

    static Properties streamsConfig(Options options) {
        Properties p = new Properties();
        p.putAll(options.serdeConfig());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, options.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, options.stateDir());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, options.standbyReplicas());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, options.threads());
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbTuning.class);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // An import emits a membership record and a changelog record per key, tens of thousands a second:
        // with the default 16 KiB batches the broker spent more CPU on produce requests than the whole
        // processor did. Under exactly-once every commit flushes anyway, so lingering adds no latency there.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 20);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 500);
        // Imports are applied by wall-clock punctuations (BackgroundWork), up to 250 ms each. Between two of
        // them the thread polls, and with no new command it waited the default 100 ms: it was busy only 65-90%
        // of an import, against 95-100% with a short poll. The price is paid when idle: the stream thread
        // used 1.7% of a core at 20 ms (0.6% at 100 ms, 2.7% at 10 ms), measured on the standalone run.
        p.put(StreamsConfig.POLL_MS_CONFIG, POLL_MS);
        // A stream thread whose transaction was aborted (a broker restarted under it) rejoins its group as a new
        // member, and Kafka Streams does not make the old one leave: the rebalance waits until the old member's
        // session expires. With the consumer's default of 45 s the pipeline caught up 58-61 s after such a broker
        // came back (PipelineFaultsTest, 200,000 keys); with 15 s, 36 s. (bigsegments.kafka.properties overrides it.)
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        p.putAll(options.kafkaOverrides());
        return p;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** The shards, or empty when a segment is one task's. */
    public java.util.Optional<ShardLayout> shards() {
        return java.util.Optional.ofNullable(layout);
    }

    @Override
    public void close() {
        closing = true;
        starter.interrupt();
        try {
            starter.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        streams.close(Duration.ofSeconds(30));
    }

    /**
     * @param kafkaOverrides any further Kafka Streams / client settings (SASL, TLS), applied last
     */
    public record Options(String bootstrapServers, String applicationId, String stateDir, int threads,
            int standbyReplicas, TopicNames topics, ProcessorSettings settings, Map<String, ?> serdeConfig,
            Map<String, String> kafkaOverrides) {

        public static final String DEFAULT_APPLICATION_ID = "bigsegments-processor";

        public static Options defaults(String bootstrapServers, String stateDir, Map<String, ?> serdeConfig) {
            return new Options(bootstrapServers, DEFAULT_APPLICATION_ID, stateDir, 1, 0, TopicNames.defaults(),
                    ProcessorSettings.defaults(), serdeConfig, new HashMap<>());
        }

        public Options withSettings(ProcessorSettings newSettings) {
            return new Options(bootstrapServers, applicationId, stateDir, threads, standbyReplicas, topics,
                    newSettings, serdeConfig, kafkaOverrides);
        }
    }
}
