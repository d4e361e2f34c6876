package dev.bigsegments.schemas.registry;

import org.apache.avro.Schema;

/**
 * The part of a Confluent-compatible schema registry that the serdes need. Implementations cache, so
 * that after the first call per schema or id no request is made, and are safe for concurrent use.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} and returns its global id; registering an
     * identical schema again returns the same id.
     *
     * @throws SchemaRegistryException when the registry refuses (e.g. an incompatible schema)
     */
    int register(String subject, Schema schema);

    /**
     * Returns the global id of {@code schema} already registered under {@code subject}, without
     * registering it.
     *
     * @throws SchemaRegistryException when the subject or the schema under it is not known
     */
    int lookup(String subject, Schema schema);

    /**
     * Returns the schema with global id {@code id}.
     *
     * @throws SchemaRegistryException when no schema has that id
     */
    Schema getById(int id);
}
