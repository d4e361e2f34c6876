package dev.bigsegments.writer.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bigsegments.embedded.EmbeddedRedisCluster;
import dev.bigsegments.schemas.ContextHashes;
import dev.bigsegments.schemas.avro.MemberList;
import dev.bigsegments.testkit.RedisAdmin;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis writer contract on a Redis Cluster of three masters with a replica each, made by
 * {@link EmbeddedRedisCluster} as {@code redis-cli --cluster create} would; the SDK reads it with a cluster client.
 */
class RedisClusterContractTest extends RedisStoreContract {
    /**
     * What a Cluster store needs beside the writer's commands, as README lists it: its view of the topology, and
     * the name the client gives the connections it reads the topology on.
     */
    static final String CLUSTER_COMMANDS = "+cluster|nodes +cluster|myid +info +client|setname";
    private static EmbeddedRedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedRedisCluster.start(3, 1);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected String uri() {
        return cluster.uri();
    }

    @Override
    protected String unreachableUri() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "redis-cluster://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void theWriterWorksOnAClusterAsAUserWithOnlyTheDocumentedCommands() {
        for (EmbeddedRedisCluster.Node node : cluster.nodes()) {
            try (RedisAdmin admin = new RedisAdmin("redis://127.0.0.1:" + node.port())) {
                RedisMembershipStoreAclTest.aclSetuser(admin.commands(), "cluster-writer on >writer-pw ~* resetchannels "
                        + "-@all " + RedisMembershipStoreAclTest.WRITER_COMMANDS + " " + CLUSTER_COMMANDS);
                admin.commands().aclLogReset();
            }
        }
        String limited = uri().replace("redis-cluster://", "redis-cluster://cluster-writer:writer-pw@");
        try (RedisMembershipStore store = RedisMembershipStore.builder().uri(limited)
                .prefixes(Map.of(ENV_A, prefixA)).build()) {
            assertThat(store.isReachable()).isTrue();
            store.apply(IntStream.range(0, 200).mapToObj(i -> new SetOp(ENV_A, ContextHashes.hash("user-" + i),
                    i % 2 == 0 ? MemberList.INCLUDED : MemberList.EXCLUDED, REF, true)).toList());
            store.markFilled(ENV_A, List.of(0, 1, 2), "group");
            assertThat(store.fillMarkers(ENV_A, List.of(0, 1, 2, 3))).isEqualTo(Map.of(0, "group", 1, "group", 2, "group"));
            store.clearSynchronizedOn(ENV_A);
            store.stampSynchronizedOn(ENV_A, System.currentTimeMillis());
        }
        for (EmbeddedRedisCluster.Node node : cluster.nodes()) {
            try (RedisAdmin admin = new RedisAdmin("redis://127.0.0.1:" + node.port())) {
                assertThat(admin.commands().aclLog()).as("commands node %d denied to the writer", node.port())
                        .isEmpty();
            }
        }
    }

    @Override
    protected List<Integer> dataPorts() {
        return cluster.masters().stream().map(EmbeddedRedisCluster.Node::port).toList();
    }
}
