package dev.bigsegments.processor.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Live unless Kafka Streams has failed; ready once it is running (state restored, tasks assigned). The two
 * checks have their own names ({@code stream-processor-live}, {@code stream-processor}), so {@code /q/health},
 * which lists both kinds, names each once.
 */
public final class ProcessorHealth {
    private ProcessorHealth() {
    }

    static HealthCheckResponse check(String name, ProcessorService service, boolean readiness) {
        if (service.processor().isEmpty()) {
            return HealthCheckResponse.named(name).up().withData("enabled", false).build();
        }
        KafkaStreams.State state = service.processor().get().state();
        boolean ok = readiness ? state == KafkaStreams.State.RUNNING
                : state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING;
        String refusal = service.processor().get().refusal();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(name).status(ok).withData("state", state.name());
        return (refusal == null ? response : response.withData("refused", refusal)).build();
    }

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        ProcessorService service;

        @Override
        public HealthCheckResponse call() {
            return check("stream-processor-live", service, false);
        }
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        ProcessorService service;

        @Override
        public HealthCheckResponse call() {
            return check("stream-processor", service, true);
        }
    }
}
