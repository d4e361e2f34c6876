package dev.bigsegments.embedded;

/** Starts a server, prints its port and exits without closing it: only the shutdown hook can stop it. */
public final class RedisLeftRunning {
    private RedisLeftRunning() {
    }

    public static void main(String[] args) {
        EmbeddedRedis redis = EmbeddedRedis.start();
        System.out.println(redis.port());
        System.out.flush();
        System.exit(0);
    }
}
