package dev.bigsegments.cli.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.cli.Progress;
import dev.bigsegments.cli.diff.HashSample;
import dev.bigsegments.cli.diff.Slot;
import dev.bigsegments.cli.store.StoreTarget;
import dev.bigsegments.embedded.EmbeddedRedisCluster;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.store.redis.RedisLayout;
import dev.bigsegments.testkit.RedisAdmin;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * verify and repair read a Redis Cluster whole right after a failover: the old master, killed, stays listed in the
 * cluster's view (failed, without slots) until the cluster forgets it, and the scan must not go there.
 */
class RedisStoreScanClusterTest {
    private static final int CONTEXTS = 3_000;
    private static final String REF = "scanned.g1";

    @Test
    void aClusterWhoseMasterFailedOverAndDiedIsReadWhole() {
        RedisLayout layout = RedisLayout.forPrefix("scan");
        Set<Slot> written = new HashSet<>();
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3, 1)) {
            try (RedisAdmin admin = new RedisAdmin(cluster.uri())) {
                for (int i = 0; i < CONTEXTS; i++) {
                    String hash = "hash-" + i;
                    admin.commands().sadd(layout.membershipKey(MemberList.INCLUDED, hash), REF);
                    written.add(new Slot(MemberList.INCLUDED, hash));
                }
            }
            EmbeddedRedisCluster.Node master = cluster.masters().get(0);
            EmbeddedRedisCluster.Node replica = cluster.replicaOf(master);
            replica.failover();
            await().atMost(Duration.ofSeconds(30)).until(replica::isMaster);
            master.kill();

            try (RedisConnection connection = new RedisConnection(cluster.uri())) {
                StoreTarget.Contents contents = RedisStoreScan.read(connection, layout, HashSample.all(),
                        new Progress(new PrintWriter(Writer.nullWriter()), "scan", CONTEXTS));
                assertThat(contents.memberships().slots()).isEqualTo(written);
                assertThat(contents.wrongType()).isEmpty();
                written.forEach(slot -> assertThat(contents.memberships().refs(slot)).containsExactly(REF));
                assertThat(RedisStoreScan.hasMemberships(connection, layout)).isTrue();
                assertThat(RedisStoreScan.hasMemberships(connection, RedisLayout.forPrefix("none"))).isFalse();
            }
        }
    }
}
