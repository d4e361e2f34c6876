package dev.bigsegments.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.Shards;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a processor reads the shard count its state was laid out with from the names of the topics. */
class ShardCountsTest {
    @Test
    void theCountIsReadFromTheLayoutStoresChangelogOfThisApplicationOnly() {
        Set<String> topics = Set.of(Shards.layoutChangelog("app", 4), Shards.layoutChangelog("app-shards-8", 8),
                Shards.layoutChangelog("other", 2), "app-shards-x-changelog", "app-members-changelog");

        assertThat(StreamProcessor.shardCounts(topics, "app")).containsExactly(4);
        assertThat(StreamProcessor.shardCounts(topics, "app-shards-8")).containsExactly(8);
        assertThat(StreamProcessor.shardCounts(topics, "new")).isEmpty();
    }

    @Test
    void aStateShardedBeforeTheCountWasRecordedIsShardedWithAnUnknownCount() {
        assertThat(StreamProcessor.shardCounts(Set.of("app-shard-votes-changelog", "app-members-changelog"), "app"))
                .containsExactly(0);
        assertThat(StreamProcessor.shardCounts(Set.of("app-shard-votes-changelog", Shards.layoutChangelog("app", 4)),
                "app")).containsExactly(4);
    }
}
