package dev.bigsegments.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.NotControllerException;

/**
 * Keeps the embedded broker from flooding the host's log: a broker prints several hundred INFO
 * lines per start. Server-side categories go to WARNING, and a few lines every single-node start
 * or stop produces are dropped. Client categories keep their levels, and a level or filter the
 * host configured explicitly wins.
 *
 * <p>Goes through java.util.logging: under Quarkus SLF4J is bound to the JBoss LogManager, which
 * is a java.util.logging implementation, so this needs no logging-backend dependency.
 */
final class QuietKafkaLogging {
    private static final List<String> SERVER_CATEGORIES = List.of(
            "kafka",
            "state.change.logger",
            "org.apache.kafka.controller",
            "org.apache.kafka.coordinator",
            "org.apache.kafka.image",
            "org.apache.kafka.metadata",
            "org.apache.kafka.queue",
            "org.apache.kafka.raft",
            "org.apache.kafka.security",
            "org.apache.kafka.server",
            "org.apache.kafka.snapshot",
            "org.apache.kafka.storage");

    /** Records that say nothing wrong on a single node, by category. */
    private static final Map<String, Predicate<LogRecord>> HARMLESS = Map.of(
            // Three copies of the ~300-line broker config; clients' "ProducerConfig values" stay.
            "org.apache.kafka.common.config.AbstractConfig",
            r -> below(r, Level.WARNING) && messageContains(r, "KafkaConfig values"),
            // Logged at WARN on every start.
            "org.apache.kafka.controller.QuorumController",
            r -> messageContains(r, "Performing controller activation"),
            // On restart the broker may ask to register before its own controller has activated;
            // the request is retried and succeeds, but the refusal is logged as an ERROR.
            "kafka.server.ControllerApis",
            r -> causedBy(r.getThrown(), NotControllerException.class),
            // The broker's channel to its controller is closed twice on every shutdown.
            "org.apache.kafka.clients.NetworkClient",
            r -> messageContains(r, "NodeToControllerChannelManager") && messageContains(r, "already been closed"));

    // java.util.logging holds loggers weakly; a collected logger would forget its level and filter.
    private static final List<Logger> HELD = new ArrayList<>();

    private QuietKafkaLogging() {
    }

    static synchronized void apply() {
        if (!HELD.isEmpty()) {
            return;
        }
        for (String category : SERVER_CATEGORIES) {
            Logger logger = hold(category);
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARNING);
            }
        }
        HARMLESS.forEach((category, harmless) -> {
            Logger logger = hold(category);
            if (logger.getFilter() == null) {
                logger.setFilter(harmless.negate()::test);
            }
        });
    }

    private static Logger hold(String category) {
        Logger logger = Logger.getLogger(category);
        HELD.add(logger);
        return logger;
    }

    private static boolean below(LogRecord record, Level level) {
        return record.getLevel().intValue() < level.intValue();
    }

    private static boolean messageContains(LogRecord record, String text) {
        return record.getMessage() != null && record.getMessage().contains(text);
    }

    private static boolean causedBy(Throwable thrown, Class<? extends Throwable> type) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
