package dev.bigsegments.writer.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Live while a writer loop runs; ready while its store also answers. One pair of checks per store. */
public final class WriterHealth {
    private WriterHealth() {
    }

    static HealthCheckResponse check(String name, StoreTarget target, boolean readiness) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name);
        if (target.runtime().isEmpty()) {
            return b.up().withData("enabled", false).build();
        }
        var writer = target.runtime().get().writer();
        boolean ok = writer.isRunning() && (!readiness || target.store().get().isReachable());
        if (writer.failure() != null) {
            b.withData("failure", String.valueOf(writer.failure().getMessage()));
        }
        return b.status(ok).build();
    }

    @Liveness
    @ApplicationScoped
    public static class RedisLive implements HealthCheck {
        @Inject
        RedisWriterService service;

        @Override
        public HealthCheckResponse call() {
            return check("redis-writer", service, false);
        }
    }

    @Readiness
    @ApplicationScoped
    public static class RedisReady implements HealthCheck {
        @Inject
        RedisWriterService service;

        @Override
        public HealthCheckResponse call() {
            return check("redis-writer", service, true);
        }
    }

    @Liveness
    @ApplicationScoped
    public static class DynamoDbLive implements HealthCheck {
        @Inject
        DynamoDbWriterService service;

        @Override
        public HealthCheckResponse call() {
            return check("dynamodb-writer", service, false);
        }
    }

    @Readiness
    @ApplicationScoped
    public static class DynamoDbReady implements HealthCheck {
        @Inject
        DynamoDbWriterService service;

        @Override
        public HealthCheckResponse call() {
            return check("dynamodb-writer", service, true);
        }
    }
}
