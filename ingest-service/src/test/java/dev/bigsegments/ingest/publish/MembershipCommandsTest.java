package dev.bigsegments.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MemberOp;
import dev.bigsegments.schemas.avro.MembershipChange;
import dev.bigsegments.schemas.avro.SegmentCommand;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipCommandsTest {
    private static final SegmentId SEGMENT = new SegmentId("env", "seg");

    @Test
    void changesAreSplitInOrderIntoCommandsWithIdsNumberedFromThePrefix() {
        List<MemberChange> changes = changes(7);
        List<SegmentCommand> commands = MembershipCommands.split(SEGMENT, "contexts:x", changes, 3);
        assertThat(commands).extracting(SegmentCommand::getCommandId)
                .containsExactly("contexts:x:0", "contexts:x:1", "contexts:x:2");
        assertThat(commands).allSatisfy(c -> assertThat(c.getSegmentKey()).isEqualTo("seg"));
        List<MemberChange> rejoined = new ArrayList<>();
        commands.forEach(c -> rejoined.addAll(((MembershipChange) c.getPayload()).getChanges()));
        assertThat(rejoined).isEqualTo(changes);
        assertThat(MembershipCommands.split(SEGMENT, "p", changes(3), 3)).hasSize(1);
        assertThat(MembershipCommands.split(SEGMENT, "p", List.of(), 3)).isEmpty();
    }

    @Test
    void aRetryWithTheSamePrefixCarriesTheSameIds() {
        assertThat(MembershipCommands.split(SEGMENT, "k", changes(5), 2)).extracting(SegmentCommand::getCommandId)
                .isEqualTo(MembershipCommands.split(SEGMENT, "k", changes(5), 2).stream()
                        .map(SegmentCommand::getCommandId).toList());
        assertThatThrownBy(() -> MembershipCommands.split(SEGMENT, "k", changes(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<MemberChange> changes(int n) {
        List<MemberChange> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] digest = new byte[32];
            digest[0] = (byte) i;
            out.add(new MemberChange(MemberList.INCLUDED, i % 2 == 0 ? MemberOp.ADD : MemberOp.REMOVE,
                    new ContextHash(digest), null));
        }
        return out;
    }
}
