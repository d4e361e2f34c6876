package dev.bigsegments.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.avro.MemberList;
import io.lettuce.core.cluster.SlotHash;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisLayoutTest {
    private static final String USER_KEY_HASH = "CEXjZY7cHJG/ydFy7q4+YEFwVrG3/pkJwA4FAjrbfx0=";

    @Test
    void membershipKeysAreTheOnesTheSdksRead() {
        RedisLayout layout = RedisLayout.forPrefix("launchdarkly");
        String hash = ContextHashes.hash("user-key");

        assertThat(hash).isEqualTo(USER_KEY_HASH);
        assertThat(layout.includeKey(hash))
                .isEqualTo("launchdarkly:big_segment_include:CEXjZY7cHJG/ydFy7q4+YEFwVrG3/pkJwA4FAjrbfx0=");
        assertThat(layout.excludeKey(hash))
                .isEqualTo("launchdarkly:big_segment_exclude:CEXjZY7cHJG/ydFy7q4+YEFwVrG3/pkJwA4FAjrbfx0=");
        assertThat(layout.membershipKey(MemberList.INCLUDED, hash)).isEqualTo(layout.includeKey(hash));
        assertThat(layout.membershipKey(MemberList.EXCLUDED, hash)).isEqualTo(layout.excludeKey(hash));
    }

    @Test
    void theMetadataKeyIsPlural() {
        assertThat(RedisLayout.forPrefix("launchdarkly").synchronizedOnKey())
                .isEqualTo("launchdarkly:big_segments_synchronized_on");
    }

    @Test
    void aMissingOrEmptyPrefixMeansTheDefault() {
        assertThat(RedisLayout.forPrefix("").synchronizedOnKey()).isEqualTo("launchdarkly:big_segments_synchronized_on");
        assertThat(RedisLayout.forPrefix(null).includeKey("h")).isEqualTo("launchdarkly:big_segment_include:h");
    }

    @Test
    void aClientSideIdPrefixIsUsedVerbatim() {
        assertThat(RedisLayout.forPrefix("5f1c2a3b4d5e6f7a8b9c0d1e").excludeKey("h"))
                .isEqualTo("5f1c2a3b4d5e6f7a8b9c0d1e:big_segment_exclude:h");
    }

    @Test
    void theStampGuardSharesTheStampsClusterSlotWhateverThePrefix() {
        List<String> prefixes = List.of("launchdarkly", "5f1c2a3b4d5e6f7a8b9c0d1e", "{tenant-7}:ld", "a{b", "a}b{c}",
                "x{}y");
        for (String prefix : prefixes) {
            RedisLayout layout = RedisLayout.forPrefix(prefix);
            assertThat(layout.stampGuardKey()).as(prefix).startsWith(prefix + ":big_segments_stamp_guard:");
            assertThat(SlotHash.getSlot(layout.stampGuardKey())).as(prefix)
                    .isEqualTo(SlotHash.getSlot(layout.synchronizedOnKey()));
        }
        assertThat(RedisLayout.forPrefix("{tenant-7}:ld").stampGuardKey())
                .isEqualTo("{tenant-7}:ld:big_segments_stamp_guard:0");
    }
}
