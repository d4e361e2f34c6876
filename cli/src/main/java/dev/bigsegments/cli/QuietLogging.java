package dev.bigsegments.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps client libraries' INFO lines (Kafka prints its whole configuration per client) out of the
 * command's output; warnings and errors still show. BIGSEGMENTS_CLI_LOG_LEVEL overrides the level.
 */
final class QuietLogging {
    private static final List<String> CATEGORIES = List.of("org.apache.kafka", "io.lettuce", "io.netty",
            "dev.bigsegments");
    // java.util.logging holds loggers weakly; a collected logger would forget its level.
    private static final List<Logger> HELD = new ArrayList<>();

    private QuietLogging() {
    }

    static synchronized void apply() {
        Level level = Level.parse(System.getenv().getOrDefault("BIGSEGMENTS_CLI_LOG_LEVEL", "WARNING"));
        for (String category : CATEGORIES) {
            Logger logger = Logger.getLogger(category);
            logger.setLevel(level);
            HELD.add(logger);
        }
    }
}
