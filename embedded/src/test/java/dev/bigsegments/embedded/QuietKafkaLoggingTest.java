package dev.bigsegments.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.NotControllerException;
import org.junit.jupiter.api.Test;

class QuietKafkaLoggingTest {

    @Test
    void aStartingBrokerLogsNoInfoLinesAndNoConfigDump() {
        Recorder recorder = new Recorder();
        Logger root = Logger.getLogger("");
        root.addHandler(recorder);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null)) {
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
        } finally {
            root.removeHandler(recorder);
        }

        assertThat(recorder.records)
                .as("records reach the root logger at all")
                .isNotEmpty()
                .filteredOn(r -> r.getLevel().intValue() < Level.WARNING.intValue())
                .extracting(LogRecord::getLoggerName)
                .noneMatch(name -> name.startsWith("kafka.") || name.startsWith("org.apache.kafka.server")
                        || name.startsWith("org.apache.kafka.controller") || name.startsWith("org.apache.kafka.raft"));
        assertThat(recorder.records)
                .extracting(LogRecord::getMessage)
                .noneMatch(message -> message != null && message.startsWith("KafkaConfig values"));
    }

    @Test
    void clientConfigDumpsAndUnrelatedControllerErrorsStillGetThrough() {
        QuietKafkaLogging.apply();
        Logger config = Logger.getLogger("org.apache.kafka.common.config.AbstractConfig");
        Logger controllerApis = Logger.getLogger("kafka.server.ControllerApis");
        Recorder recorder = new Recorder();
        // Recorded here only, so the deliberate SEVERE record does not reach the console.
        List.of(config, controllerApis).forEach(logger -> {
            logger.addHandler(recorder);
            logger.setUseParentHandlers(false);
        });
        try {
            config.info("KafkaConfig values: \n\tnode.id = 1");
            config.info("ProducerConfig values: \n\tacks = -1");
            controllerApis.log(Level.SEVERE, "registration refused", new CompletionException(new NotControllerException("node 1")));
            controllerApis.log(Level.SEVERE, "disk failed", new IllegalStateException("disk"));
        } finally {
            List.of(config, controllerApis).forEach(logger -> {
                logger.removeHandler(recorder);
                logger.setUseParentHandlers(true);
            });
        }

        assertThat(recorder.records).extracting(LogRecord::getMessage)
                .containsExactly("ProducerConfig values: \n\tacks = -1", "disk failed");
    }

    private static final class Recorder extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
