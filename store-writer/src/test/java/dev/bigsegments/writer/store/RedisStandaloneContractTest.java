package dev.bigsegments.writer.store;

import dev.bigsegments.embedded.EmbeddedRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Redis writer contract on one {@code redis-server}. */
class RedisStandaloneContractTest extends RedisStoreContract {
    private static EmbeddedRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected String uri() {
        return redis.uri();
    }

    @Override
    protected String unreachableUri() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "redis://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Override
    protected List<Integer> dataPorts() {
        return List.of(redis.port());
    }
}
