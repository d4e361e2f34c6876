package dev.bigsegments.schemas.serde;

/** The Confluent framing around Avro binary: a zero magic byte, then the 4-byte big-endian schema id. */
final class WireFormat {
    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** TopicNameStrategy, the Confluent default, so other Kafka tools find the same subjects. */
    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
