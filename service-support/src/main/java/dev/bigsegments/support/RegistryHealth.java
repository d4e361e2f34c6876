package dev.bigsegments.support;

import dev.bigsegments.schemas.registry.SchemaRegistryClients;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while a schema registry this service reads or writes through does not answer: records that need
 * a schema not seen yet wait (they are never set aside as bad), so the service is behind until it answers.
 */
@Readiness
@ApplicationScoped
public class RegistryHealth implements HealthCheck {
    @Override
    public HealthCheckResponse call() {
        List<String> outages = SchemaRegistryClients.outages();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("schema-registry").status(outages.isEmpty());
        for (int i = 0; i < outages.size(); i++) {
            b.withData("outage." + i, outages.get(i));
        }
        return b.build();
    }
}
