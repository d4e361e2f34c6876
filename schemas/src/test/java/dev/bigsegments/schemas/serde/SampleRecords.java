package dev.bigsegments.schemas.serde;

import dev.bigsegments.schemas.avro.ChangedList;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.CreateSegment;
import dev.bigsegments.schemas.avro.DeleteSegment;
import dev.bigsegments.schemas.avro.ImportAbort;
import dev.bigsegments.schemas.avro.ImportBegin;
import dev.bigsegments.schemas.avro.ImportChunk;
import dev.bigsegments.schemas.avro.ImportCommit;
import dev.bigsegments.schemas.avro.ImportMode;
import dev.bigsegments.schemas.avro.ImportState;
import dev.bigsegments.schemas.avro.ImportStatus;
import dev.bigsegments.schemas.avro.IngestStats;
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MemberOp;
import dev.bigsegments.schemas.avro.MembershipChange;
import dev.bigsegments.schemas.avro.MembershipState;
import dev.bigsegments.schemas.avro.Rejection;
import dev.bigsegments.schemas.avro.SegmentCommand;
import dev.bigsegments.schemas.avro.SegmentDefinition;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** One filled-in instance of every generated record type, every command payload included. */
final class SampleRecords {
    static final Instant AT = Instant.ofEpochMilli(1_700_000_000_123L);

    private SampleRecords() {
    }

    static ContextHash hash(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return new ContextHash(bytes);
    }

    static IngestStats stats() {
        return new IngestStats(10L, 1L, 2L, List.of(new Rejection(3L, "empty key"), new Rejection(7L, "key too long")));
    }

    static List<Object> payloads() {
        return List.of(
                new CreateSegment("Beta testers", "user", 3),
                new CreateSegment("Defaults", "user", null),
                new DeleteSegment(),
                new MembershipChange(List.of(
                        new MemberChange(MemberList.INCLUDED, MemberOp.ADD, hash(1), null),
                        new MemberChange(MemberList.EXCLUDED, MemberOp.REMOVE, null, "raw-key"))),
                new ImportBegin("imp-1", ImportMode.REPLACE, "users.csv"),
                new ImportChunk("imp-1", 4L, List.of(hash(2), hash(3)), List.of("r1")),
                new ImportCommit("imp-1", 5L, stats()),
                new ImportAbort("imp-1", "sender gave up", null),
                new ImportAbort("imp-2", "bad file", stats()));
    }

    static SegmentCommand command(Object payload) {
        return new SegmentCommand("cmd-" + payload.getClass().getSimpleName(), "env-1", "beta", AT, payload);
    }

    static MembershipState membership() {
        return new MembershipState(true, false, ChangedList.INCLUDED, AT);
    }

    static SegmentDefinition definition() {
        return new SegmentDefinition("env-1", "beta", "Beta testers", "user", 2, false, 42L, List.of(1), "imp-1", AT);
    }

    static ImportStatus importStatus() {
        return new ImportStatus("imp-1", "env-1", "beta", ImportMode.MERGE, ImportState.IN_PROGRESS, AT, AT.plusSeconds(5),
                "users.csv", 3L, 300L, 4L, stats(), 300L, 120L, 100L, 0L, null);
    }
}
