package dev.bigsegments.ingest.synced;

import dev.bigsegments.ingest.publish.CommandPublisher;
import dev.bigsegments.ingest.synced.CohortSegments.Target;
import dev.bigsegments.ingest.synced.SyncedRequest.MemberUpdate;
import dev.bigsegments.schemas.avro.ContextHash;
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.schemas.avro.MemberOp;
import dev.bigsegments.schemas.avro.MembershipChange;
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
            List<MemberUpdate> members = target.cohort().members();
            for (int from = 0, part = 0; from < members.size(); from += membersPerCommand, part++) {
                List<MemberChange> changes = new ArrayList<>();
                for (MemberUpdate m : members.subList(from, Math.min(members.size(), from + membersPerCommand))) {
                    changes.add(new MemberChange(MemberList.INCLUDED, m.add() ? MemberOp.ADD : MemberOp.REMOVE,
                            new ContextHash(m.digest()), null));
                }
                String commandId = String.join(String.valueOf(ID_SEPARATOR), ID_PREFIX, integrationKey,
                        environmentId, target.cohort().cohortId(), bodySha256, Integer.toString(part));
                out.add(CommandPublisher.command(target.segment(), commandId, new MembershipChange(changes)));
            }
        }
        return out;
    }
}
