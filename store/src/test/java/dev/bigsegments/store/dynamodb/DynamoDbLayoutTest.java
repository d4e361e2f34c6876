package dev.bigsegments.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.avro.MemberList;
import org.junit.jupiter.api.Test;

/** The strings LaunchDarkly SDKs read, spelled out literally as in the layout specification. */
class DynamoDbLayoutTest {

    @Test
    void withoutAPrefixTheNamespacesAreTheBareNames() {
        DynamoDbLayout layout = DynamoDbLayout.of("t", "");
        assertThat(layout.membershipNamespace()).isEqualTo("big_segments_user");
        assertThat(layout.metadataKey()).isEqualTo("big_segments_metadata");
        assertThat(DynamoDbLayout.of("t", null).membershipNamespace()).isEqualTo("big_segments_user");
    }

    @Test
    void aPrefixIsJoinedWithAColon() {
        DynamoDbLayout layout = DynamoDbLayout.of("t", "my-env");
        assertThat(layout.membershipNamespace()).isEqualTo("my-env:big_segments_user");
        assertThat(layout.metadataKey()).isEqualTo("my-env:big_segments_metadata");
    }

    @Test
    void attributeNamesAreThoseTheSdksRead() {
        assertThat(DynamoDbLayout.PARTITION_KEY).isEqualTo("namespace");
        assertThat(DynamoDbLayout.SORT_KEY).isEqualTo("key");
        assertThat(DynamoDbLayout.attribute(MemberList.INCLUDED)).isEqualTo("included");
        assertThat(DynamoDbLayout.attribute(MemberList.EXCLUDED)).isEqualTo("excluded");
        assertThat(DynamoDbLayout.SYNCHRONIZED_ON).isEqualTo("synchronizedOn");
    }
}
