package dev.bigsegments.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MembershipKeyTest {

    @Test
    void keysRoundTripThroughTheirBytes() {
        MembershipKey key = new MembershipKey("env-1", "seg.g2", ContextHashes.digest("user-1"));
        MembershipKey read = MembershipKey.fromBytes(key.toBytes());
        assertThat(read).isEqualTo(key);
        assertThat(read.contextHash()).isEqualTo(ContextHashes.hash("user-1"));
    }

    @Test
    void aKeyOfTheSameSegmentAsThePreviousSharesItsStringsAndAnotherDoesNot() {
        MembershipKey first = MembershipKey.fromBytes(key("env-1", "seg.g2", "a"));
        byte[] firstBytes = key("env-1", "seg.g2", "a");
        MembershipKey same = MembershipKey.fromBytes(key("env-1", "seg.g2", "b"), firstBytes, first);
        assertThat(same).isEqualTo(new MembershipKey("env-1", "seg.g2", ContextHashes.digest("b")));
        assertThat(same.environmentId()).isSameAs(first.environmentId());
        assertThat(same.segmentRef()).isSameAs(first.segmentRef());
        // Same length, other segment: read from its own bytes.
        MembershipKey other = MembershipKey.fromBytes(key("env-1", "seg.g3", "b"), firstBytes, first);
        assertThat(other).isEqualTo(new MembershipKey("env-1", "seg.g3", ContextHashes.digest("b")));
        assertThat(other.segmentRef()).isNotSameAs(first.segmentRef());
        // Environment and segment split differently over the same bytes: read from its own bytes too.
        MembershipKey split = MembershipKey.fromBytes(key("env-1s", "eg.g2", "c"), firstBytes, first);
        assertThat(split.environmentId()).isEqualTo("env-1s");
        assertThat(split.segmentRef()).isEqualTo("eg.g2");
    }

    @Test
    void bytesThatAreNotAMembershipKeyAreRefusedWhateverCameBefore() {
        byte[] firstBytes = key("env-1", "seg.g2", "a");
        MembershipKey first = MembershipKey.fromBytes(firstBytes);
        byte[] noSeparator = new byte[firstBytes.length];
        Arrays.fill(noSeparator, (byte) 'x');
        assertThatThrownBy(() -> MembershipKey.fromBytes(noSeparator, firstBytes, first))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] key(String environment, String segment, String context) {
        return new MembershipKey(environment, segment, ContextHashes.digest(context)).toBytes();
    }
}
