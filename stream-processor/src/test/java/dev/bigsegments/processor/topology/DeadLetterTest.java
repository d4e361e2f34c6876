package dev.bigsegments.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.processor.state.StateKeys;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.DeadLetters;
import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MemberOp;
import dev.bigsegments.schemas.avro.MembershipChange;
import dev.bigsegments.schemas.avro.SegmentCommand;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a direct producer can get wrong reaches the dead-letter topic with headers naming where it came from
 * and why, changes nothing, and the partition goes on: the next good command is applied.
 */
class DeadLetterTest {
    private final TopologyHarness h = TopologyHarness.withSlices(1_000);

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void bytesThatAreNotACommandAreSetAsideAndTheNextCommandIsApplied() {
        h.create("s");
        byte[] key = new SegmentId(TopologyHarness.ENV, "s").toBytes();
        h.sendRaw(key, TopologyHarness.utf8("garbage"));
        h.sendRaw(key, new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2});
        h.sendRaw(key, null);
        h.change("s", MemberList.INCLUDED, MemberOp.ADD, "u1");
        assertThat(reasons()).containsExactly("undecodable", "undecodable", "invalid");
        assertThat(h.included("s", 1)).containsExactly(ContextHashes.hash("u1"));
        TestRecord<byte[], byte[]> first = h.deadLetters.get(0);
        assertThat(first.value()).isEqualTo(TopologyHarness.utf8("garbage"));
        assertThat(first.key()).isEqualTo(key);
        assertThat(header(first, DeadLetters.TOPIC)).isEqualTo(h.topics.commands());
        assertThat(header(first, DeadLetters.PARTITION)).isEqualTo("0");
        assertThat(header(first, DeadLetters.OFFSET)).isEqualTo("1");
        assertThat(header(first, DeadLetters.ERROR_CLASS)).isEqualTo(
                "org.apache.kafka.common.errors.SerializationException");
        assertThat(header(first, DeadLetters.ERROR_MESSAGE)).contains("magic byte");
        assertThat(header(first, DeadLetters.SOURCE)).isEqualTo("stream-processor");
    }

    @Test
    void commandsBreakingTheRulesAreSetAsideBeforeTheyReachState() {
        h.create("s");
        h.send("s", "", new CreateSegment("x", "user", null));
        h.send(new SegmentId(TopologyHarness.ENV, "s").toBytes(), command("s", "id-1",
                new MembershipChange(List.of(new MemberChange(MemberList.INCLUDED, MemberOp.ADD, null, null)))));
        h.send(new SegmentId(TopologyHarness.ENV, "other").toBytes(), command("s", "id-2",
                new MembershipChange(List.of(new MemberChange(MemberList.INCLUDED, MemberOp.ADD, null, "u1")))));
        h.send(new SegmentId(TopologyHarness.ENV, "s").toBytes(), command("s", "id-3",
                new MembershipChange(List.of(new MemberChange(MemberList.INCLUDED, MemberOp.ADD, null, "")))));
        h.send(TopologyHarness.utf8(TopologyHarness.ENV + "\0" + "bad\0key"), SegmentCommand.newBuilder()
                .setCommandId("id-4").setEnvironmentId(TopologyHarness.ENV).setSegmentKey("bad\0key")
                .setTimestamp(Instant.now()).setPayload(new CreateSegment("x", "user", null)).build());
        h.send("s", new CreateSegment("x", "", null));
        assertThat(reasons()).hasSize(6).containsOnly("invalid");
        assertThat(h.included("s", 1)).isEmpty();
        assertThat(h.definitions).containsOnlyKeys("s");
        assertThat(messages()).anySatisfy(m -> assertThat(m).contains("/commandId"))
                .anySatisfy(m -> assertThat(m).contains("/payload/changes/0 must have exactly one of hash and rawKey"))
                .anySatisfy(m -> assertThat(m).contains("record key must be environmentId NUL segmentKey"))
                .anySatisfy(m -> assertThat(m).contains("/payload/changes/0/rawKey"))
                .anySatisfy(m -> assertThat(m).contains("/segmentKey"))
                .anySatisfy(m -> assertThat(m).contains("/payload/contextKind"));
    }

    @Test
    void aCommandWhoseProcessingThrowsIsSetAsideAndThePartitionGoesOn() {
        h.create("s");
        // A corrupt epoch counter (one byte where eight belong): the import's commit cannot be processed.
        h.driver.<Bytes, byte[]>getKeyValueStore(SegmentTopology.MEMBERS_STORE).put(
                Bytes.wrap(StateKeys.membersPrefix(new SegmentId(TopologyHarness.ENV, "s"), 1)), new byte[] {1});
        h.importKeys("s", "imp", ImportMode.MERGE, TopologyHarness.keys("k", 0, 10), 5, true);
        h.change("s", MemberList.INCLUDED, MemberOp.ADD, "u1");
        assertThat(reasons()).containsExactly("processing-failed");
        assertThat(header(h.deadLetters.get(0), DeadLetters.ERROR_CLASS)).isEqualTo(
                "java.nio.BufferUnderflowException");
        h.runBackgroundWork();
        assertThat(h.importStatus.get("imp").getStatus()).as("stopped, not waiting forever").isEqualTo(
                ImportState.STOPPED);
        assertThat(h.importStatus.get("imp").getError()).contains("could not be processed");
        assertThat(h.definitions.get("s").getActiveImportId()).isNull();
        assertThat(h.included("s", 1)).containsExactly(ContextHashes.hash("u1"));
    }

    @Test
    void anImportsCommitUnderAnotherSegmentIsIgnored() {
        h.create("a");
        h.create("b");
        h.importKeys("a", "imp", ImportMode.REPLACE, TopologyHarness.keys("k", 0, 10), 5, false);
        h.send("b", "imp:commit", new dev.bigsegments.schemas.avro.ImportCommit("imp", 2L,
                new dev.bigsegments.schemas.avro.IngestStats(10L, 0L, 0L, List.of())));
        h.runBackgroundWork();
        assertThat(h.importStatus.get("imp").getStatus()).isEqualTo(ImportState.PREPARING);
        assertThat(h.included("a", 1)).isEmpty();
        assertThat(h.included("b", 1)).isEmpty();
        assertThat(h.deadLetters).isEmpty();
    }

    private static SegmentCommand command(String segmentKey, String id, Object payload) {
        return SegmentCommand.newBuilder().setCommandId(id).setEnvironmentId(TopologyHarness.ENV)
                .setSegmentKey(segmentKey).setTimestamp(Instant.now()).setPayload(payload).build();
    }

    private List<String> reasons() {
        return h.deadLetters.stream().map(r -> header(r, DeadLetters.REASON)).toList();
    }

    private List<String> messages() {
        return h.deadLetters.stream().map(r -> header(r, DeadLetters.ERROR_MESSAGE)).toList();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return DeadLetters.header(record.headers(), name);
    }
}
