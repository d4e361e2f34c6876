package dev.bigsegments.schemas.serde;

import dev.bigsegments.schemas.registry.SchemaRegistryException;

/**
 * A record could not be read or written because the schema registry did not answer. Not a
 * {@link org.apache.kafka.common.errors.SerializationException}: the record may be perfectly good, so a
 * reader waits and tries again instead of setting it aside as a dead letter.
 */
public final class SchemaRegistryUnavailableException extends RuntimeException {
    public SchemaRegistryUnavailableException(String message, SchemaRegistryException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
