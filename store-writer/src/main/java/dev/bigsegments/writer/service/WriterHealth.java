package dev.bigsegments.writer.service;

import dev.bigsegments.store.writer.WriterStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Live while a writer loop runs (an outage is waited out, not a reason to restart); ready while it also has
 * no outage, no environment waiting for an operator, and its store answers. One pair of checks per store
 * ({@code redis-writer-live} and {@code redis-writer}: each name once in {@code /q/health}, which lists both
 * kinds); the data says what is wrong and since when.
 */
public final class WriterHealth {
    private WriterHealth() {
    }

    static HealthCheckResponse check(String name, WriterTarget target, boolean readiness) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name);
        if (target.runtime().isEmpty()) {
            return b.up().withData("enabled", false).build();
        }
        WriterStatus status = target.runtime().get().writer().status();
        if (status.failure() != null) {
            b.withData("failure", String.valueOf(status.failure().getMessage()));
        }
        if (status.outage() != null) {
            b.withData("outage", status.outage().describe());
            b.withData("outageSeconds", status.outage().duration().toSeconds());
        }
        if (!status.lost().isEmpty()) {
            b.withData("lost", "store lost the data of environments " + status.lost()
                    + "; not stamped until an operator acts (rebuild-on-loss=false)");
        }
        status.refilling().forEach((environment, partitions) ->
                b.withData("refilling." + environment, "partitions " + partitions));
        if (!readiness) {
            return b.status(status.running()).build();
        }
        boolean reachable = target.store().get().isReachable();
        if (!reachable && status.outage() == null) {
            b.withData("store", "store unreachable: no answer from " + target.store().get().describe());
        }
        return b.status(status.ready() && reachable).build();
    }

    @Liveness
    @ApplicationScoped
    public static class RedisLive implements HealthCheck {
        @Inject
        RedisWriterService service;

        @Override
        public HealthCheckResponse call() {
            return check("redis-writer-live", service, false);
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
            return check("dynamodb-writer-live", service, false);
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
