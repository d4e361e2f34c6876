package dev.bigsegments.cli;

import dev.bigsegments.cli.dynamodb.DynamoDbTarget;
import dev.bigsegments.cli.redis.RedisTarget;
import dev.bigsegments.cli.store.StoreTarget;
import dev.bigsegments.store.dynamodb.DynamoDbLayout;
import dev.bigsegments.store.redis.RedisLayout;
import java.net.URI;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The store a command works on: one environment's prefix in Redis or in a DynamoDB table. The store kind
 * follows from which of {@code --redis-url} and {@code --dynamodb-table} is given (on the command line, or
 * else in the environment); naming both is an error.
 */
public final class StoreOptions {
    static final String REDIS_URL_ENV = "BIGSEGMENTS_REDIS_URL";
    static final String DYNAMODB_TABLE_ENV = "BIGSEGMENTS_DYNAMODB_TABLE";
    static final String DYNAMODB_ENDPOINT_ENV = "BIGSEGMENTS_DYNAMODB_ENDPOINT";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--redis-url",
            description = "Redis store: redis://[user:password@]host:port[/db] or rediss:// (env " + REDIS_URL_ENV + ").")
    String redisUrl;

    @Option(names = "--dynamodb-table",
            description = "DynamoDB store: the table (env " + DYNAMODB_TABLE_ENV + "). Region and credentials come "
                    + "from the AWS default chains (AWS_REGION, web identity, instance profile, ...).")
    String dynamoDbTable;

    @Option(names = "--dynamodb-endpoint", defaultValue = "${env:" + DYNAMODB_ENDPOINT_ENV + "}",
            description = "A DynamoDB-API endpoint instead of the region's, e.g. http://localhost:8000 for a local "
                    + "server (env " + DYNAMODB_ENDPOINT_ENV + ").")
    URI dynamoDbEndpoint;

    @Option(names = "--aws-region", description = "AWS region of the DynamoDB table (default: the AWS default chain).")
    String awsRegion;

    @Option(names = "--prefix",
            description = "Prefix of the store: Redis key prefix (default: " + RedisLayout.DEFAULT_PREFIX + "), DynamoDB "
                    + "namespace prefix (default: none), as the environment's store-prefix setting.")
    String prefix;

    @Option(names = "--environment", required = true,
            description = "Environment id whose memberships the prefix holds.")
    String environment;

    public String environment() {
        return environment;
    }

    /** Opens the target; the caller closes it. */
    public StoreTarget open() {
        Map<String, String> env = System.getenv();
        String table = dynamoDbTable;
        String url = redisUrl;
        if (table != null && url != null) {
            throw usage("--redis-url and --dynamodb-table name two stores; give one");
        }
        if (table == null && url == null) {
            table = blankToNull(env.get(DYNAMODB_TABLE_ENV));
            url = blankToNull(env.get(REDIS_URL_ENV));
            if (table != null && url != null) {
                throw usage(REDIS_URL_ENV + " and " + DYNAMODB_TABLE_ENV + " are both set; choose the store with "
                        + "--redis-url or --dynamodb-table");
            }
        }
        if (table != null) {
            return new DynamoDbTarget(environment, DynamoDbLayout.of(table, prefix), dynamoDbEndpoint, awsRegion);
        }
        if (url == null || url.isBlank()) {
            throw usage("Missing the store: --redis-url (or " + REDIS_URL_ENV + ") or --dynamodb-table (or "
                    + DYNAMODB_TABLE_ENV + ")");
        }
        if (awsRegion != null) {
            throw usage("--aws-region applies to a DynamoDB store (--dynamodb-table)");
        }
        return new RedisTarget(environment, url, prefix == null ? RedisLayout.DEFAULT_PREFIX : prefix);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
