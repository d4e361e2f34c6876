package dev.bigsegments.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a record on the dead-letter topic: where the record came from and why it was set aside.
 * The record keeps its original key and value bytes (and headers), so it can be inspected with any
 * consumer and re-driven by producing it again to the topic it came from (README, "Dead letters").
 */
public final class DeadLetters {
    /** The topic the record was read from. */
    public static final String TOPIC = "bs-dlq-topic";
    /** Its partition there (decimal). */
    public static final String PARTITION = "bs-dlq-partition";
    /** Its offset there (decimal). */
    public static final String OFFSET = "bs-dlq-offset";
    /** Why it was set aside: {@link Reason}. */
    public static final String REASON = "bs-dlq-reason";
    /** The class of the error. */
    public static final String ERROR_CLASS = "bs-dlq-error-class";
    /** The error's message; names context hashes at most, never raw keys. */
    public static final String ERROR_MESSAGE = "bs-dlq-error-message";
    /** The service (and consumer group) that set it aside. */
    public static final String SOURCE = "bs-dlq-source";

    private static final int MAX_MESSAGE_CHARS = 2_000;

    /** Why a record was set aside; also the {@code reason} tag of the dead-letter counters. */
    public enum Reason {
        /** Not the project's Avro: no wire-format header, an unknown schema id, bytes that do not decode. */
        UNDECODABLE("undecodable"),
        /** Decodes, but breaks a rule: an empty id, a NUL inside one, a key that does not match the value. */
        INVALID("invalid"),
        /** An environment this service is not configured for. */
        UNKNOWN_ENVIRONMENT("unknown-environment"),
        /** Processing it threw. */
        PROCESSING_FAILED("processing-failed");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private DeadLetters() {
    }

    /**
     * The original headers plus the dead-letter headers.
     *
     * @param source the service and group that set it aside, e.g. {@code store-writer/bigsegments-writer-redis}
     */
    public static Headers headers(Headers original, String topic, int partition, long offset, Reason reason,
            Throwable error, String source) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (Header h : original) {
                headers.add(h);
            }
        }
        add(headers, TOPIC, topic);
        add(headers, PARTITION, Integer.toString(partition));
        add(headers, OFFSET, Long.toString(offset));
        add(headers, REASON, reason.tag());
        add(headers, ERROR_CLASS, error.getClass().getName());
        add(headers, ERROR_MESSAGE, abbreviate(String.valueOf(error.getMessage())));
        add(headers, SOURCE, source);
        return headers;
    }

    /** Whether a header is one of these (the rest are the record's own). */
    public static boolean isDeadLetterHeader(String name) {
        return name.startsWith("bs-dlq-");
    }

    /** A header's value as text, or null when absent. */
    public static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
