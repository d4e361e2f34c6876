package dev.bigsegments.cli.command;

import dev.bigsegments.cli.KafkaOptions;
import dev.bigsegments.cli.Progress;
import dev.bigsegments.cli.diff.HashSample;
import dev.bigsegments.cli.diff.MembershipDiff;
import dev.bigsegments.cli.diff.Memberships;
import dev.bigsegments.cli.store.StoreTarget;
import dev.bigsegments.cli.truth.TopicTruth;
import java.io.PrintWriter;

/** Reads the topic's truth and the store for one environment, and diffs them: what verify and repair share. */
final class StoreComparison {
    private StoreComparison() {
    }

    record Result(MembershipDiff diff, long truthMemberships, long storeMemberships) {
    }

    static Result compare(KafkaOptions kafka, StoreTarget target, HashSample sample, PrintWriter err) {
        Memberships truth = TopicTruth.read(kafka.kafkaConfig(), kafka.serdeConfig(), kafka.topics().membership(),
                target.environment(), sample, new Progress(err, "reading topic ", 0));
        StoreTarget.Contents store = target.read(sample, new Progress(err, "reading store", 0));
        MembershipDiff diff = MembershipDiff.between(target.environment(), truth, store.memberships(),
                store.wrongType());
        return new Result(diff, truth.size(), store.memberships().size());
    }
}
