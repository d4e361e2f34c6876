package dev.bigsegments.ingest.synced;

import dev.bigsegments.ingest.publish.MembershipCommands;
import dev.bigsegments.ingest.synced.CohortSegments.Target;
import dev.bigsegments.ingest.synced.SyncedRequest.MemberUpdate;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MemberOp;
import dev.bigsegments.schemas.avro.SegmentCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a resolved request into ordered membership commands, one or more per cohort. Command ids are
 * derived from the integration, environment, cohort and the body's SHA-256, so a retried request
 * carries the same ids and the processor's de-duplication drops it.
 */
public final class SyncedChanges {
    private static final String ID_PREFIX = "synced";
    private static final char ID_SEPARATOR = ':';

    private SyncedChanges() {
    }

    public static List<SegmentCommand> commands(String integrationKey, String environmentId, String bodySha256,
            List<Target> targets, int membersPerCommand) {
        List<SegmentCommand> out = new ArrayList<>();
        for (Target target : targets) {
            List<MemberChange> changes = new ArrayList<>();
            for (MemberUpdate m : target.cohort().members()) {
                changes.add(new MemberChange(MemberList.INCLUDED, m.add() ? MemberOp.ADD : MemberOp.REMOVE,
                        new ContextHash(m.digest()), null));
            }
            String idPrefix = String.join(String.valueOf(ID_SEPARATOR), ID_PREFIX, integrationKey, environmentId,
                    target.cohort().cohortId(), bodySha256);
            out.addAll(MembershipCommands.split(target.segment(), idPrefix, changes, membersPerCommand));
        }
        return out;
    }
}
