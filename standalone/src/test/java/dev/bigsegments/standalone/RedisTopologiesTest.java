package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.FaultPipeline.SEGMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bigsegments.embedded.EmbeddedRedisCluster;
import dev.bigsegments.embedded.EmbeddedRedisSentinel;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged services writing an import into a Redis Cluster (three masters, a replica each) and into a master
 * under Sentinel, with the master failed over in the middle of the import: the store ends exact, checked key by
 * key through a cluster client and through the LaunchDarkly SDK.
 */
class RedisTopologiesTest {
    private static final int KEYS = Integer.getInteger("topology.import-keys", 200_000);

    @Test
    void aClusterMasterFailedOverAndKilledDuringAnImportLosesNothing() throws Exception {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3, 1);
                FaultPipeline p = FaultPipeline.start(new PipelineScenario(unique("tcluster")), Map.of(),
                        cluster.uri())) {
            String id = p.client.upload(SEGMENT, FaultPipeline.csv(0, KEYS));
            long handedOver = System.currentTimeMillis();
            await().atMost(FaultPipeline.WORK).pollInterval(Duration.ofMillis(20)).until(() -> p.members() >= KEYS / 5);
            EmbeddedRedisCluster.Node master = cluster.masters().get(0);
            EmbeddedRedisCluster.Node replica = cluster.replicaOf(master);
            assertThat(p.members()).as("failing over before the import is written").isLessThan(KEYS);
            replica.failover();
            await().atMost(Duration.ofSeconds(30)).until(replica::isMaster);
            master.kill();
            p.reconnect();
            p.awaitExactAndStamped(id, 0, KEYS, handedOver);
            p.assertSdkSees(0, KEYS);
        }
    }

    @Test
    void aSentinelFailoverDuringAnImportLosesNothing() throws Exception {
        try (EmbeddedRedisSentinel sentinel = EmbeddedRedisSentinel.start();
                FaultPipeline p = FaultPipeline.start(new PipelineScenario(unique("tsentinel")), Map.of(),
                        sentinel.uri())) {
            String id = p.client.upload(SEGMENT, FaultPipeline.csv(0, KEYS));
            long handedOver = System.currentTimeMillis();
            await().atMost(FaultPipeline.WORK).pollInterval(Duration.ofMillis(20)).until(() -> p.members() >= KEYS / 5);
            int master = sentinel.masterPort();
            assertThat(p.members()).as("killing the master before the import is written").isLessThan(KEYS);
            sentinel.server(master).kill();
            sentinel.awaitFailoverFrom(master);
            p.reconnect();
            p.awaitExactAndStamped(id, 0, KEYS, handedOver);
            p.assertSdkSees(0, KEYS);
        }
    }

    private static String unique(String kind) {
        return kind + Long.toHexString(System.nanoTime() & 0xfffff);
    }
}
