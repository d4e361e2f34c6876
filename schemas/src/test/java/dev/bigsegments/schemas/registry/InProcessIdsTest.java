package dev.bigsegments.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.SegmentCommand;
import org.junit.jupiter.api.Test;

class InProcessIdsTest {

    @Test
    void twoScopesThatNeverMetGiveTheSameSchemaTheSameId() {
        int a = InProcessSchemaRegistry.scope("ids-a").register("t-value", MembershipState.getClassSchema());
        int b = InProcessSchemaRegistry.scope("ids-b").know(MembershipState.getClassSchema());
        assertThat(a).isEqualTo(b).isPositive();
        assertThat(InProcessSchemaRegistry.scope("ids-b").getById(a)).isEqualTo(MembershipState.getClassSchema());
        assertThat(InProcessSchemaRegistry.scope("ids-b").know(SegmentCommand.getClassSchema())).isNotEqualTo(a);
    }
}
