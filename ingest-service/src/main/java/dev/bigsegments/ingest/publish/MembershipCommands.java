package dev.bigsegments.ingest.publish;

import dev.bigsegments.schemas.SegmentId;
import dev.bigsegments.schemas.avro.MemberChange;
import dev.bigsegments.schemas.avro.MembershipChange;
import dev.bigsegments.schemas.avro.SegmentCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one segment's ordered member changes into membership commands of at most {@code membersPerCommand}
 * changes, so that none outgrows a Kafka record. They share the segment's key (one partition, so their
 * order holds), and command {@code i} has the id {@code idPrefix + ":" + i}: a caller that derives the
 * prefix from the request makes a retried request carry the same ids, which the processor drops.
 */
public final class MembershipCommands {
    private MembershipCommands() {
    }

    public static List<SegmentCommand> split(SegmentId segment, String idPrefix, List<MemberChange> changes,
            int membersPerCommand) {
        if (membersPerCommand < 1) {
            throw new IllegalArgumentException("members per command must be at least 1, not " + membersPerCommand);
        }
        List<SegmentCommand> out = new ArrayList<>();
        for (int from = 0, part = 0; from < changes.size(); from += membersPerCommand, part++) {
            List<MemberChange> slice = new ArrayList<>(changes.subList(from, Math.min(changes.size(),
                    from + membersPerCommand)));
            out.add(CommandPublisher.command(segment, idPrefix + ":" + part, new MembershipChange(slice)));
        }
        return out;
    }
}
