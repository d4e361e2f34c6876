package dev.bigsegments.support;

import dev.bigsegments.schemas.TopicSetup;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/** Creates or checks the topics at a service's start, as {@link PipelineConfig} says. */
public final class TopicBootstrap {
    private TopicBootstrap() {
    }

    public static void prepare(PipelineConfig config) {
        try (Admin admin = Admin.create(config.clientConfig())) {
            if (config.kafka().createTopics()) {
                TopicSetup.ensureTopics(admin, config.topicNames(), config.kafka().partitions(),
                        config.kafka().replicationFactor());
            } else {
                TopicSetup.verifyCompacted(admin, List.of(config.topics().membership(), config.topics().segments(),
                        config.topics().imports(), config.topics().status()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing topics", e);
        }
    }
}
