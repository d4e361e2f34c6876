package dev.bigsegments.writer.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The store writers' settings (bigsegments.writer.*). */
@ConfigMapping(prefix = "bigsegments.writer")
public interface WriterConfig {

    /** The stream processor's application id, whose lag gates synchronizedOn. */
    @WithDefault("bigsegments-processor")
    String processorApplicationId();

    /** How often the caught-up check runs and synchronizedOn is refreshed (at most 30 s). */
    @WithDefault("5s")
    Duration stampInterval();

    @WithDefault("10000")
    int maxPollRecords();

    Redis redis();

    interface Redis {
        @WithDefault("true")
        boolean enabled();

        /** redis:// or rediss:// URI; user and password in it for an ACL user. */
        Optional<String> uri();

        @WithDefault("bigsegments-writer-redis")
        String groupId();
    }
}
