package dev.bigsegments.writer.store;

import dev.bigsegments.embedded.EmbeddedRedisSentinel;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Redis writer contract on a master and replica under three sentinels, found through the sentinels. */
class RedisSentinelContractTest extends RedisStoreContract {
    private static EmbeddedRedisSentinel sentinel;

    @BeforeAll
    static void startSentinel() {
        sentinel = EmbeddedRedisSentinel.start();
    }

    @AfterAll
    static void stopSentinel() {
        sentinel.close();
    }

    @Override
    protected String uri() {
        return sentinel.uri();
    }

    @Override
    protected String unreachableUri() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "redis-sentinel://127.0.0.1:" + socket.getLocalPort() + "#" + EmbeddedRedisSentinel.MASTER_NAME;
        }
    }

    @Override
    protected List<Integer> dataPorts() {
        return List.of(sentinel.masterPort());
    }
}
