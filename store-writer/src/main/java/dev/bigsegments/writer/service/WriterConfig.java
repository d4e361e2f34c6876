package dev.bigsegments.writer.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The store writers' settings (bigsegments.writer.*). */
@ConfigMapping(prefix = "bigsegments.writer")
public interface WriterConfig {

    /** The stream processor's application id, whose lag gates synchronizedOn. */
    @WithDefault("bigsegments-processor")
    String processorApplicationId();

    /** How often the caught-up check runs and synchronizedOn is refreshed (at most 30 s). */
    @WithDefault("5s")
    Duration stampInterval();

    @WithDefault("10000")
    int maxPollRecords();

    /** How often each writer reports its status (stamps, outage, store reachability) to the status topic. */
    @WithDefault("5s")
    Duration statusInterval();

    /**
     * The longest wait between two attempts while a store, the registry or Kafka does not answer. Attempts
     * go on for as long as the outage lasts (exponential backoff with full jitter from 100 ms up to this).
     */
    @WithDefault("30s")
    Duration retryBackoffMax();

    /**
     * After a store outage, the changes applied this long before it began are applied again: a store that failed
     * over to a replica (Sentinel, Cluster) may have lost writes its old primary had acknowledged.
     */
    @WithDefault("10s")
    Duration replayAfterOutage();

    /**
     * Refill a store that lost its data (its fill markers are gone or name another group) from the membership
     * topic. With false the writer leaves that environment unstamped and reports itself not ready until an
     * operator acts.
     */
    @WithDefault("true")
    boolean rebuildOnLoss();

    Redis redis();

    interface Redis {
        @WithDefault("true")
        boolean enabled();

        /** redis:// or rediss:// URI; user and password in it for an ACL user. */
        Optional<String> uri();

        @WithDefault("bigsegments-writer-redis")
        String groupId();
    }

    DynamoDb dynamodb();

    /** The DynamoDB target; it runs beside Redis (fan-out) with its own consumer group. */
    interface DynamoDb {
        @WithDefault("false")
        boolean enabled();

        /** A DynamoDB-compatible endpoint instead of the region's (e.g. http://127.0.0.1:4567). */
        Optional<String> endpoint();

        /** AWS region; absent means the AWS default chain (AWS_REGION, profile, instance metadata). */
        Optional<String> region();

        /** The table of environments without their own entry in {@link #tables()}. */
        Optional<String> table();

        /** Table per environment name (the key under bigsegments.environments). */
        Map<String, String> tables();

        /** Create missing tables at start (needs CreateTable and DescribeTable); normally the operator does. */
        @WithDefault("false")
        boolean createTables();

        /** UpdateItems in flight at once. */
        @WithDefault("32")
        int maxConcurrency();

        @WithDefault("bigsegments-writer-dynamodb")
        String groupId();
    }
}
