package dev.bigsegments.processor.topology;

import static dev.bigsegments.processor.topology.TopologyHarness.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.bigsegments.processor.query.MembersReader;
import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.DeleteSegment;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MemberOp;
import dev.bigsegments.schemas.query.PipelineQueries.Membership;
import dev.bigsegments.schemas.query.PipelineQueries.SegmentCounts;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each segment generation keeps its members per list as changes and imports apply, and the query reader
 * answers memberships and counts from the members store; a generation without kept counts is counted.
 */
class ListCountsTest {
    private static final SegmentId SEGMENT = new SegmentId(TopologyHarness.ENV, "s");
    private final TopologyHarness h = TopologyHarness.withSlices(50);

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void countsFollowChangesImportsAndAReplaceAndMatchAFullCount() {
        h.create("s");
        h.driver.advanceWallClockTime(java.time.Duration.ofSeconds(5));
        h.change("s", MemberList.INCLUDED, MemberOp.ADD, "a", "b", "c");
        h.change("s", MemberList.EXCLUDED, MemberOp.ADD, "c", "x");
        h.change("s", MemberList.INCLUDED, MemberOp.REMOVE, "b", "never-there");
        assertThat(counts()).extracting(SegmentCounts::included, SegmentCounts::excluded).containsExactly(2L, 2L);
        assertThat(counts().lastChangeAt()).isNotNull();

        List<String> file = new ArrayList<>(keys("u", 0, 230));
        file.add("u5");
        h.importKeys("s", "imp-1", ImportMode.REPLACE, file, 37, true);
        h.runBackgroundWork();

        SegmentCounts kept = counts();
        assertThat(kept.included()).isEqualTo(230);
        assertThat(kept.excluded()).isEqualTo(2);
        members().delete(StateKeys.countsKey(StateKeys.membersPrefix(SEGMENT, 1)));
        assertThat(counts()).as("counted member by member").extracting(SegmentCounts::included,
                SegmentCounts::excluded).containsExactly(230L, 2L);
    }

    @Test
    void membershipsAreReadByHashAndADeletedGenerationForgetsItsCounts() {
        h.create("s");
        h.change("s", MemberList.INCLUDED, MemberOp.ADD, "a");
        h.change("s", MemberList.EXCLUDED, MemberOp.ADD, "a", "z");
        List<Membership> answers = reader().members(SEGMENT, 1,
                List.of(ContextHashes.hash("a"), ContextHashes.hash("z"), ContextHashes.hash("nobody")));
        assertThat(answers).extracting(Membership::included, Membership::excluded)
                .containsExactly(tuple(true, true), tuple(false, true), tuple(false, false));

        h.send("s", new DeleteSegment());
        h.runBackgroundWork();
        assertThat(members().get(StateKeys.countsKey(StateKeys.membersPrefix(SEGMENT, 1)))).isNull();
        h.create("s");
        assertThat(reader().counts(SEGMENT, 2)).extracting(SegmentCounts::included, SegmentCounts::excluded,
                SegmentCounts::lastChangeAt).containsExactly(0L, 0L, null);
    }

    private SegmentCounts counts() {
        return reader().counts(SEGMENT, 1);
    }

    private MembersReader reader() {
        return new MembersReader(members());
    }

    private KeyValueStore<Bytes, byte[]> members() {
        return h.driver.getKeyValueStore(SegmentTopology.MEMBERS_STORE);
    }
}
