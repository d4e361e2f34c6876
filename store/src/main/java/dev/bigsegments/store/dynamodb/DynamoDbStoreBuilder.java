package dev.bigsegments.store.dynamodb;

import dev.bigsegments.schemas.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;

/**
 * Settings of a {@link DynamoDbMembershipStore}. Each environment id needs a table (its own, or the
 * default one) and may have a prefix. Without a client the store builds and owns one; region and
 * credentials then come from the AWS default chains unless set here.
 */
public final class DynamoDbStoreBuilder {
    /** UpdateItems in flight at once; also the HTTP connection pool size. */
    public static final int DEFAULT_MAX_CONCURRENCY = 32;
    /** How long one request may take before it counts as a transient failure. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    /** Retries of one request on throttling, 5xx and I/O errors: exponential backoff with full jitter. */
    public static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofMillis(25), Duration.ofSeconds(5), 10);

    private DynamoDbAsyncClient client;
    private URI endpoint;
    private Region region;
    private AwsCredentialsProvider credentials;
    private String defaultTable;
    private Map<String, String> tables = Map.of();
    private Map<String, String> prefixes = Map.of();
    private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
    private Backoff backoff = DEFAULT_BACKOFF;
    private boolean createTables;
    private Consumer<ClientOverrideConfiguration.Builder> clientOverrides = b -> {
    };

    DynamoDbStoreBuilder() {
    }

    /** A client the caller owns and closes; it should not retry by itself (this store retries). */
    public DynamoDbStoreBuilder client(DynamoDbAsyncClient client) {
        this.client = client;
        return this;
    }

    /** A DynamoDB-compatible endpoint instead of the region's, e.g. {@code http://127.0.0.1:4567}. */
    public DynamoDbStoreBuilder endpoint(URI endpoint) {
        this.endpoint = endpoint;
        return this;
    }

    public DynamoDbStoreBuilder region(String region) {
        this.region = region == null ? null : Region.of(region);
        return this;
    }

    public DynamoDbStoreBuilder credentials(AwsCredentialsProvider credentials) {
        this.credentials = credentials;
        return this;
    }

    /** The table of environments without one of their own. */
    public DynamoDbStoreBuilder defaultTable(String table) {
        this.defaultTable = table;
        return this;
    }

    /** Table per environment id. */
    public DynamoDbStoreBuilder tables(Map<String, String> tablesByEnvironment) {
        this.tables = new HashMap<>(tablesByEnvironment);
        return this;
    }

    /** Prefix per environment id; null or empty means none, as in the SDKs. */
    public DynamoDbStoreBuilder prefixes(Map<String, String> prefixesByEnvironment) {
        this.prefixes = new HashMap<>(prefixesByEnvironment);
        return this;
    }

    public DynamoDbStoreBuilder maxConcurrency(int requests) {
        if (requests < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1");
        }
        this.maxConcurrency = requests;
        return this;
    }

    public DynamoDbStoreBuilder attemptTimeout(Duration timeout) {
        this.attemptTimeout = Objects.requireNonNull(timeout, "attemptTimeout");
        return this;
    }

    public DynamoDbStoreBuilder backoff(Backoff backoff) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        return this;
    }

    /** Create missing tables at build time (needs CreateTable and DescribeTable); off by default. */
    public DynamoDbStoreBuilder createTables(boolean create) {
        this.createTables = create;
        return this;
    }

    /** Further settings of the client this store builds (interceptors, metrics), applied last. */
    public DynamoDbStoreBuilder clientOverrides(Consumer<ClientOverrideConfiguration.Builder> overrides) {
        this.clientOverrides = Objects.requireNonNull(overrides, "clientOverrides");
        return this;
    }

    public DynamoDbMembershipStore build() {
        Map<String, DynamoDbLayout> layouts = layouts();
        boolean owns = client == null;
        DynamoDbAsyncClient c = owns ? buildClient() : client;
        if (createTables) {
            DynamoDbTables.createMissing(c, layouts.values().stream().map(DynamoDbLayout::table).distinct().toList());
        }
        String where = endpoint != null ? endpoint.getAuthority() : region != null ? region.id() : "default-region";
        return new DynamoDbMembershipStore(c, owns, layouts, where, maxConcurrency, backoff);
    }

    private Map<String, DynamoDbLayout> layouts() {
        Set<String> environments = new HashSet<>(prefixes.keySet());
        environments.addAll(tables.keySet());
        if (environments.isEmpty()) {
            throw new IllegalArgumentException("no environments: set prefixes or tables per environment id");
        }
        Map<String, DynamoDbLayout> layouts = new HashMap<>();
        for (String env : environments) {
            String table = tables.getOrDefault(env, defaultTable);
            if (table == null || table.isEmpty()) {
                throw new IllegalArgumentException("no DynamoDB table for environment " + env
                        + " and no default table");
            }
            layouts.put(env, DynamoDbLayout.of(table, prefixes.get(env)));
        }
        return layouts;
    }

    private DynamoDbAsyncClient buildClient() {
        DynamoDbAsyncClientBuilder b = DynamoDbAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(maxConcurrency))
                .overrideConfiguration(o -> {
                    // One retry policy, in the store: the SDK's own would multiply with it.
                    o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallAttemptTimeout(attemptTimeout);
                    clientOverrides.accept(o);
                });
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        if (region != null) {
            b.region(region);
        }
        if (credentials != null) {
            b.credentialsProvider(credentials);
        }
        return b.build();
    }
}
