package dev.bigsegments.cli;

import dev.bigsegments.testkit.DynamoDbMemberships;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Every membership set of a DynamoDB store's prefix, keyed as {@link MembershipTopicFixture#expectedRedis}
 * keys them so both stores compare with the same expectation: {@code prefix:big_segment_include:hash} and
 * {@code ..._exclude:hash}.
 */
final class DynamoDbContents {
    private DynamoDbContents() {
    }

    static Map<String, Set<String>> memberships(DynamoDbAsyncClient client, String table, String prefix) {
        Map<String, Set<String>> result = new HashMap<>();
        DynamoDbMemberships.read(client, table, prefix).forEach((hash, lists) -> {
            add(result, prefix + ":big_segment_include:" + hash, lists.included());
            add(result, prefix + ":big_segment_exclude:" + hash, lists.excluded());
        });
        return result;
    }

    private static void add(Map<String, Set<String>> result, String key, Set<String> refs) {
        if (!refs.isEmpty()) {
            result.put(key, new HashSet<>(refs));
        }
    }
}
