package dev.bigsegments.cli.command;

import dev.bigsegments.cli.KafkaOptions;
import dev.bigsegments.cli.Progress;
import dev.bigsegments.cli.RedisOptions;
import dev.bigsegments.cli.diff.HashSample;
import dev.bigsegments.cli.diff.MembershipDiff;
import dev.bigsegments.cli.diff.Memberships;
import dev.bigsegments.cli.redis.RedisConnection;
import dev.bigsegments.cli.redis.RedisStoreScan;
import dev.bigsegments.cli.truth.TopicTruth;
import java.io.PrintWriter;

/** Reads the topic's truth and the store for one environment, and diffs them: what verify and repair share. */
final class StoreComparison {
    private StoreComparison() {
    }

    record Result(MembershipDiff diff, long truthMemberships, long storeMemberships) {
    }

    static Result compare(KafkaOptions kafka, RedisOptions target, RedisConnection redis, HashSample sample,
            PrintWriter err) {
        Memberships truth = TopicTruth.read(kafka.kafkaConfig(), kafka.serdeConfig(), kafka.topics().membership(),
                target.environment(), sample, new Progress(err, "reading topic ", 0));
        RedisStoreScan.Contents store = RedisStoreScan.read(redis.get(), target.layout(), sample,
                new Progress(err, "scanning Redis", 0));
        MembershipDiff diff = MembershipDiff.between(target.environment(), truth, store.memberships(),
                store.wrongType());
        return new Result(diff, truth.size(), store.memberships().size());
    }
}
