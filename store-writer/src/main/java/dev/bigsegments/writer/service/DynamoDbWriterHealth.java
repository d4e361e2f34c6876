package dev.bigsegments.writer.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Live while the DynamoDB writer loop runs; ready while the table also answers. */
public final class DynamoDbWriterHealth {
    private DynamoDbWriterHealth() {
    }

    static HealthCheckResponse check(DynamoDbWriterService service, boolean readiness) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("dynamodb-writer");
        if (service.runtime().isEmpty()) {
            return b.up().withData("enabled", false).build();
        }
        var writer = service.runtime().get().writer();
        boolean ok = writer.isRunning() && (!readiness || service.store().get().isReachable());
        if (writer.failure() != null) {
            b.withData("failure", String.valueOf(writer.failure().getMessage()));
        }
        return b.status(ok).build();
    }

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        DynamoDbWriterService service;

        @Override
        public HealthCheckResponse call() {
            return check(service, false);
        }
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        DynamoDbWriterService service;

        @Override
        public HealthCheckResponse call() {
            return check(service, true);
        }
    }
}
