package dev.bigsegments.writer.service;

import dev.bigsegments.store.dynamodb.DynamoDbMembershipStore;
import dev.bigsegments.store.dynamodb.DynamoDbStoreBuilder;
import dev.bigsegments.store.writer.StatusReporter;
import dev.bigsegments.store.writer.WriterOptions;
import dev.bigsegments.store.writer.WriterRuntime;
import dev.bigsegments.support.PipelineConfig;
import dev.bigsegments.support.TopicBootstrap;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the DynamoDB store writer with the application, beside the Redis one when both are enabled: each
 * has its own consumer group and thread, so a slow store never holds back the other.
 */
@ApplicationScoped
public class DynamoDbWriterService implements WriterTarget {
    @Inject
    PipelineConfig pipeline;

    @Inject
    WriterConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    RedisWriterService redis;

    private volatile DynamoDbMembershipStore store;
    private volatile WriterRuntime runtime;
    private volatile StatusReporter reporter;

    void onStart(@Observes StartupEvent event) {
        WriterConfig.DynamoDb dynamo = config.dynamodb();
        if (!dynamo.enabled()) {
            return;
        }
        TopicBootstrap.prepare(pipeline);
        Map<String, String> prefixes = new HashMap<>();
        Map<String, String> tables = new HashMap<>();
        pipeline.environments().forEach((name, e) -> {
            prefixes.put(e.id(), e.storePrefix().orElse(""));
            String table = dynamo.tables().get(name);
            if (table != null) {
                tables.put(e.id(), table);
            } else if (dynamo.table().isEmpty()) {
                throw new IllegalStateException("no DynamoDB table for environment " + name + ": set "
                        + "bigsegments.writer.dynamodb.table or bigsegments.writer.dynamodb.tables." + name);
            }
        });
        SharedTargets.refuse(pipeline, (name, e) -> "DynamoDB table '" + dynamo.tables().getOrDefault(name,
                dynamo.table().orElse("")) + "' under prefix '" + e.storePrefix().orElse("") + "'");
        DynamoDbStoreBuilder builder = DynamoDbMembershipStore.builder().prefixes(prefixes).tables(tables)
                .defaultTable(dynamo.table().orElse(null)).region(dynamo.region().orElse(null))
                .maxConcurrency(dynamo.maxConcurrency()).createTables(dynamo.createTables());
        dynamo.endpoint().map(URI::create).ifPresent(builder::endpoint);
        store = builder.build();
        WriterOptions options = redis.options(dynamo.groupId());
        runtime = WriterRuntime.start(options, store, registry);
        reporter = StatusReporter.start(options, "dynamodb", config.statusInterval(), runtime, store);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (reporter != null) {
            reporter.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (store != null) {
            store.close();
        }
    }

    public Optional<WriterRuntime> runtime() {
        return Optional.ofNullable(runtime);
    }

    public Optional<DynamoDbMembershipStore> store() {
        return Optional.ofNullable(store);
    }
}
